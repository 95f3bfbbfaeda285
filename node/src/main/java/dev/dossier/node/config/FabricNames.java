package dev.dossier.node.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names {@code network init} gives a consortium's identities, so that its files can be those of a Fabric network
 * an application expects: organisation {@code i}'s domain is {@code org<i>.<domain>} and its node {@code
 * <nodeName>.org<i>.<domain>}; beside the standard users ({@code Admin}, {@code Issuer}, ...) each organisation gets
 * the extra users named here, with their roles. Fabric's test network is {@code new FabricNames("example.com",
 * "peer0", Map.of("User1", "issuer"))}: {@code peer0.org1.example.com}, {@code users/User1@org1.example.com/msp}.
 *
 * <p>Names only go into certificates and file names: the nodes still listen on {@code localhost}, so no name is ever
 * resolved off the machine.
 *
 * @param domain the parent of the organisations' domains, DNS labels separated by dots
 * @param nodeName the first label of each organisation's node name
 * @param extraUsers user names (letters, digits, {@code _-.}) and their roles, in order
 */
public record FabricNames(String domain, String nodeName, Map<String, String> extraUsers) {
    /** The roles of {@code network-config/policy.json}. */
    public static final Set<String> ROLES =
            Set.of("operator", "delegate", "issuer", "employer", "worker", "inspector", "auditor");

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** Dossier's own names: {@code node0.org1.dossier.local}, the standard users only. */
    public static final FabricNames DOSSIER = new FabricNames("dossier.local", "node0", Map.of());

    /**
     * @throws IllegalArgumentException if a name is not a DNS name (lower case), a user name is malformed or one of
     *     the standard users', or a role is unknown
     */
    public FabricNames {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(nodeName, "nodeName");
        if (domain.length() > 200 || !domain.chars().allMatch(c -> c < 128)) {
            throw new IllegalArgumentException("domain '" + domain + "' is not a DNS name");
        }
        for (String label : domain.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException(
                        "domain '" + domain + "' is not a DNS name (lower-case labels of letters, digits and '-')");
            }
        }
        if (!LABEL.matcher(nodeName).matches()) {
            throw new IllegalArgumentException(
                    "node name '" + nodeName + "' is not one DNS label (lower-case letters, digits and '-')");
        }
        Map<String, String> users = new LinkedHashMap<>();
        extraUsers.forEach((user, role) -> {
            if (!USER.matcher(user).matches()) {
                throw new IllegalArgumentException(
                        "user name '" + user + "' must be letters, digits, '_', '.' or '-' (at most 64)");
            }
            if (CryptoGen.STANDARD_USERS.containsKey(user)) {
                throw new IllegalArgumentException("user " + user + " is one of the standard users already");
            }
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException("role '" + role + "' of user " + user + " is not one of "
                        + ROLES.stream().sorted().toList());
            }
            users.put(user, role);
        });
        extraUsers = java.util.Collections.unmodifiableMap(users);
    }

    /** @return organisation {@code number}'s domain, such as {@code org1.example.com} */
    String organisationDomain(int number) {
        return "org" + number + "." + domain;
    }

    /** @return organisation {@code number}'s node name, such as {@code peer0.org1.example.com} */
    String node(int number) {
        return nodeName + "." + organisationDomain(number);
    }
}
