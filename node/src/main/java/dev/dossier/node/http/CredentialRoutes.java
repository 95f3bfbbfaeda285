package dev.dossier.node.http;

import dev.dossier.node.credential.ControllerDocuments;
import dev.dossier.node.credential.StatusLists;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The routes of Verifiable Credentials ({@code docs/credentials.md}): {@code GET /.well-known/did.json} (the node's
 * controller document), {@code GET /<MSP id>/did.json} (an organisation's), {@code GET /v1/status-lists/{list}} (a
 * signed Bitstring Status List) and {@code GET /v1/credential-status/{commitment}} (where an anchored commitment's
 * bit is). Without credential settings every one answers 404 saying so.
 */
final class CredentialRoutes {
    static final String DID_TYPE = "application/did+json";
    static final String VC_TYPE = "application/vc";
    private static final Pattern LIST = Pattern.compile("0|[1-9][0-9]{0,17}");
    private static final Pattern COMMITMENT = Pattern.compile("[0-9a-f]{64}");

    private final ControllerDocuments documents;
    private final StatusLists lists;

    /** @param documents null when the node has no credential settings, as {@code lists} */
    CredentialRoutes(ControllerDocuments documents, StatusLists lists) {
        this.documents = documents;
        this.lists = lists;
    }

    Response nodeDocument() {
        return documents == null ? notConfigured() : answer(DID_TYPE, documents.node());
    }

    Response organisationDocument(String mspId) {
        if (documents == null) {
            return notConfigured();
        }
        return documents
                .organisation(mspId)
                .map(document -> answer(DID_TYPE, document))
                .orElseGet(() -> Response.error(404, "NOT_FOUND", "no credential key of organisation " + mspId));
    }

    Response statusList(String list) {
        if (lists == null) {
            return notConfigured();
        }
        if (!LIST.matcher(list).matches()) {
            return Response.error(400, "BAD_REQUEST", "a status list number is canonical decimal, not '" + list + "'");
        }
        try {
            return answer(VC_TYPE, lists.list(Long.parseLong(list)));
        } catch (IllegalArgumentException e) {
            return Response.error(404, "NOT_FOUND", e.getMessage());
        }
    }

    Response position(String hex) {
        if (lists == null) {
            return notConfigured();
        }
        if (!COMMITMENT.matcher(hex).matches()) {
            return Response.error(400, "BAD_REQUEST", "a commitment is 64 lowercase hex digits");
        }
        return lists.position(HexFormat.of().parseHex(hex))
                .map(p -> answer(
                        Response.JSON_TYPE,
                        Json.createObjectBuilder()
                                .add("commitment", hex)
                                .add("leaf_index", p.leafIndex())
                                .add("status_list", p.url())
                                .add("status_list_index", Long.toString(p.index()))
                                .build()))
                .orElseGet(() ->
                        Response.error(404, "NOT_FOUND", "commitment " + hex + " is not in this node's log (yet)"));
    }

    private static Response answer(String type, JsonObject body) {
        return new Response(200, type, body.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static Response notConfigured() {
        return Response.error(404, "NOT_FOUND", "this node serves no credential keys or status lists");
    }
}
