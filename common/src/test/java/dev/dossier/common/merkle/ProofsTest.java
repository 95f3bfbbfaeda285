package dev.dossier.common.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RFC 9162 test vectors (the eight-leaf tree used by Certificate Transparency implementations) and the corrupted-proof
 * cases of transparency-dev/merkle's verifier tests, plus exhaustive agreement with the RFC's recursive definitions.
 */
class ProofsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456");
    private static final byte[] EMPTY_TREE = h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    private static final String[] LEAVES = {
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"
    };
    private static final String[] ROOTS = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    };

    private static byte[] h(String hex) {
        return HEX.parseHex(hex);
    }

    private static List<byte[]> hashes(String... hex) {
        List<byte[]> list = new ArrayList<>();
        for (String s : hex) {
            list.add(h(s));
        }
        return list;
    }

    private static byte[] root(int size) {
        return h(ROOTS[size - 1]);
    }

    private static byte[] leafHash(int index) {
        return Rfc9162.leafHash(h(LEAVES[index]));
    }

    @Test
    void root_ofEachPrefixOfTheVectorTree_matchesRfcVectors() {
        List<byte[]> leaves = new ArrayList<>();
        assertThat(HEX.formatHex(Rfc9162.root(leaves))).isEqualTo(HEX.formatHex(EMPTY_TREE));
        for (int size = 1; size <= LEAVES.length; size++) {
            leaves.add(leafHash(size - 1));
            assertThat(HEX.formatHex(Rfc9162.root(leaves))).as("size %d", size).isEqualTo(ROOTS[size - 1]);
        }
    }

    @Test
    void leafAndNodeHash_matchRfc6962ReferenceValues() {
        assertThat(HEX.formatHex(Rfc9162.leafHash("L123456".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
        assertThat(HEX.formatHex(Rfc9162.nodeHash(
                        "N123".getBytes(StandardCharsets.US_ASCII), "N456".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb");
    }

    record Inclusion(long index, long size, List<byte[]> proof) {}

    private static final List<Inclusion> INCLUSION = List.of(
            new Inclusion(0, 1, List.of()),
            new Inclusion(
                    0,
                    8,
                    hashes(
                            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
            new Inclusion(
                    5,
                    8,
                    hashes(
                            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
            new Inclusion(2, 3, hashes("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
            new Inclusion(
                    1,
                    5,
                    hashes(
                            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));

    @Test
    void verifyInclusion_vectors_hold() {
        for (Inclusion v : INCLUSION) {
            assertThatCode(() -> Proofs.verifyInclusion(
                            v.index(), v.size(), leafHash((int) v.index()), v.proof(), root((int) v.size())))
                    .as("leaf %d of %d", v.index(), v.size())
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void verifyInclusion_corruptedVectors_throw() {
        for (Inclusion v : INCLUSION) {
            long i = v.index();
            long n = v.size();
            byte[] leaf = leafHash((int) i);
            byte[] root = root((int) n);
            List<byte[]> p = v.proof();
            Map<String, ThrowingCheck> cases = new LinkedHashMap<>();
            cases.put("index-1", () -> Proofs.verifyInclusion(i - 1, n, leaf, p, root));
            cases.put("index+1", () -> Proofs.verifyInclusion(i + 1, n, leaf, p, root));
            cases.put("index^2", () -> Proofs.verifyInclusion(i ^ 2, n, leaf, p, root));
            cases.put("size*2", () -> Proofs.verifyInclusion(i, n * 2, leaf, p, root));
            cases.put("size/2", () -> Proofs.verifyInclusion(i, n / 2, leaf, p, root));
            cases.put("wrong-leaf", () -> Proofs.verifyInclusion(i, n, "WrongLeaf".getBytes(), p, root));
            cases.put("empty-root", () -> Proofs.verifyInclusion(i, n, leaf, p, EMPTY_TREE));
            cases.put("random-root", () -> Proofs.verifyInclusion(i, n, leaf, p, SOME_HASH));
            cases.put("trailing-garbage", () -> Proofs.verifyInclusion(i, n, leaf, with(p, new byte[0], false), root));
            cases.put("trailing-root", () -> Proofs.verifyInclusion(i, n, leaf, with(p, root, false), root));
            cases.put("preceding-garbage", () -> Proofs.verifyInclusion(i, n, leaf, with(p, new byte[0], true), root));
            cases.put("preceding-root", () -> Proofs.verifyInclusion(i, n, leaf, with(p, root, true), root));
            for (int k = 0; k < p.size(); k++) {
                int at = k;
                cases.put(
                        "modified-proof[" + k + "]-bit-3",
                        () -> Proofs.verifyInclusion(i, n, leaf, flip(p, at, 8), root));
            }
            if (!p.isEmpty()) {
                cases.put(
                        "removed-component",
                        () -> Proofs.verifyInclusion(i, n, leaf, p.subList(0, p.size() - 1), root));
            }
            if (p.size() > 1) {
                List<byte[]> inserted = new ArrayList<>();
                inserted.add(p.get(0));
                inserted.add(SOME_HASH);
                inserted.addAll(p.subList(1, p.size()));
                cases.put("inserted-component", () -> Proofs.verifyInclusion(i, n, leaf, inserted, root));
            }
            cases.forEach((name, check) -> assertThatThrownBy(check::run)
                    .as("%s for leaf %d of %d", name, i, n)
                    .isInstanceOf(ProofVerificationException.class));
        }
    }

    @Test
    void verifyInclusion_rootMismatch_reportsBothRootsInHex() {
        Inclusion v = INCLUSION.get(1);
        assertThatThrownBy(() -> Proofs.verifyInclusion(0, 8, leafHash(0), v.proof(), SOME_HASH))
                .hasMessageContaining(HEX.formatHex(SOME_HASH))
                .hasMessageContaining(ROOTS[7]);
    }

    @Test
    void verifyInclusion_singleEntryAndEmptyTrees() throws Exception {
        byte[] hash = Rfc9162.leafHash("data".getBytes(StandardCharsets.US_ASCII));
        Proofs.verifyInclusion(0, 1, hash, List.of(), hash);
        assertThatThrownBy(() -> Proofs.verifyInclusion(0, 1, new byte[0], List.of(), hash))
                .isInstanceOf(ProofVerificationException.class);
        assertThatThrownBy(() -> Proofs.verifyInclusion(0, 1, hash, List.of(), new byte[0]))
                .isInstanceOf(ProofVerificationException.class);
        long[][] beyond = {{0, 0}, {1, 0}, {2, 1}};
        for (long[] probe : beyond) {
            assertThatThrownBy(() -> Proofs.verifyInclusion(probe[0], probe[1], SOME_HASH, List.of(), EMPTY_TREE))
                    .isInstanceOf(ProofVerificationException.class);
        }
    }

    record Consistency(long size1, long size2, List<byte[]> proof) {}

    private static final List<Consistency> CONSISTENCY = List.of(
            new Consistency(1, 1, List.of()),
            new Consistency(
                    1,
                    8,
                    hashes(
                            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
            new Consistency(
                    6,
                    8,
                    hashes(
                            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
            new Consistency(
                    2,
                    5,
                    hashes(
                            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
            new Consistency(
                    6,
                    7,
                    hashes(
                            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));

    @Test
    void verifyConsistency_vectors_hold() {
        for (Consistency v : CONSISTENCY) {
            assertThatCode(() -> Proofs.verifyConsistency(
                            v.size1(), v.size2(), root((int) v.size1()), root((int) v.size2()), v.proof()))
                    .as("%d -> %d", v.size1(), v.size2())
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void verifyConsistency_corruptedVectors_throw() {
        for (Consistency v : CONSISTENCY) {
            List<byte[]> p = v.proof();
            if (p.isEmpty()) {
                continue;
            }
            long m = v.size1();
            long n = v.size2();
            byte[] r1 = root((int) m);
            byte[] r2 = root((int) n);
            Map<String, ThrowingCheck> cases = new LinkedHashMap<>();
            cases.put("size1-1", () -> Proofs.verifyConsistency(m - 1, n, r1, r2, p));
            cases.put("size1+1", () -> Proofs.verifyConsistency(m + 1, n, r1, r2, p));
            cases.put("size1^2", () -> Proofs.verifyConsistency(m ^ 2, n, r1, r2, p));
            cases.put("size2*2", () -> Proofs.verifyConsistency(m, n * 2, r1, r2, p));
            cases.put("size2/2", () -> Proofs.verifyConsistency(m, n / 2, r1, r2, p));
            cases.put("wrong-root1", () -> Proofs.verifyConsistency(m, n, "WrongRoot".getBytes(), r2, p));
            cases.put("wrong-root2", () -> Proofs.verifyConsistency(m, n, r1, "WrongRoot".getBytes(), p));
            cases.put("swapped-roots", () -> Proofs.verifyConsistency(m, n, r2, r1, p));
            cases.put("empty-proof", () -> Proofs.verifyConsistency(m, n, r1, r2, List.of()));
            cases.put("trailing-garbage", () -> Proofs.verifyConsistency(m, n, r1, r2, with(p, new byte[0], false)));
            cases.put("trailing-root1", () -> Proofs.verifyConsistency(m, n, r1, r2, with(p, r1, false)));
            cases.put("trailing-root2", () -> Proofs.verifyConsistency(m, n, r1, r2, with(p, r2, false)));
            cases.put("preceding-garbage", () -> Proofs.verifyConsistency(m, n, r1, r2, with(p, new byte[0], true)));
            cases.put("preceding-root1", () -> Proofs.verifyConsistency(m, n, r1, r2, with(p, r1, true)));
            cases.put("preceding-root2", () -> Proofs.verifyConsistency(m, n, r1, r2, with(p, r2, true)));
            cases.put("preceding-proof[0]", () -> Proofs.verifyConsistency(m, n, r1, r2, with(p, p.get(0), true)));
            cases.put("truncated-proof", () -> Proofs.verifyConsistency(m, n, r1, r2, p.subList(0, p.size() - 1)));
            for (int k = 0; k < p.size(); k++) {
                int at = k;
                cases.put(
                        "modified-proof[" + k + "]-bit-4",
                        () -> Proofs.verifyConsistency(m, n, r1, r2, flip(p, at, 16)));
            }
            cases.forEach((name, check) -> assertThatThrownBy(check::run)
                    .as("%s for %d -> %d", name, m, n)
                    .isInstanceOf(ProofVerificationException.class));
        }
    }

    @Test
    void verifyConsistency_edgeSizes() throws Exception {
        byte[] r1 = "don't care 1".getBytes();
        byte[] r2 = "don't care 2".getBytes();
        Proofs.verifyConsistency(0, 0, r1, r1, List.of());
        Proofs.verifyConsistency(1, 1, r2, r2, List.of());
        ThrowingCheck[] failing = {
            () -> Proofs.verifyConsistency(0, 0, r1, r2, List.of()),
            () -> Proofs.verifyConsistency(1, 1, r1, r2, List.of()),
            () -> Proofs.verifyConsistency(0, 1, r1, r2, List.of()),
            () -> Proofs.verifyConsistency(1, 0, r1, r2, List.of()),
            () -> Proofs.verifyConsistency(2, 1, r1, r2, List.of()),
            () -> Proofs.verifyConsistency(1, 2, r1, r2, List.of()),
            () -> Proofs.verifyConsistency(0, 0, EMPTY_TREE, EMPTY_TREE, List.of(EMPTY_TREE)),
            () -> Proofs.verifyConsistency(1, 1, EMPTY_TREE, EMPTY_TREE, List.of(EMPTY_TREE)),
            () -> Proofs.verifyConsistency(0, 1, EMPTY_TREE, EMPTY_TREE, List.of(EMPTY_TREE)),
        };
        for (ThrowingCheck check : failing) {
            assertThatThrownBy(check::run).isInstanceOf(ProofVerificationException.class);
        }
    }

    /** Every proof of every tree up to 40 leaves, generated by the RFC's recursive definitions, verifies. */
    @Test
    void proofsFromRfcDefinitions_verify_forEveryIndexAndSizePair() throws Exception {
        Random random = new Random(9162);
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] data = new byte[random.nextInt(8)];
            random.nextBytes(data);
            leaves.add(Rfc9162.leafHash(data));
        }
        for (int n = 1; n <= leaves.size(); n++) {
            List<byte[]> tree = leaves.subList(0, n);
            byte[] root = Rfc9162.root(tree);
            assertThat(root).isEqualTo(ReferenceTree.mth(tree));
            for (int m = 0; m < n; m++) {
                Proofs.verifyInclusion(m, n, tree.get(m), ReferenceTree.path(m, tree), root);
                if (m > 0) {
                    Proofs.verifyConsistency(
                            m, n, Rfc9162.root(tree.subList(0, m)), root, ReferenceTree.proof(m, tree));
                }
            }
        }
    }

    @FunctionalInterface
    interface ThrowingCheck {
        void run() throws Exception;
    }

    private static List<byte[]> with(List<byte[]> proof, byte[] extra, boolean front) {
        List<byte[]> copy = new ArrayList<>(proof);
        if (front) {
            copy.add(0, extra);
        } else {
            copy.add(extra);
        }
        return copy;
    }

    private static List<byte[]> flip(List<byte[]> proof, int index, int mask) {
        List<byte[]> copy = new ArrayList<>(proof);
        byte[] modified = copy.get(index).clone();
        modified[0] ^= (byte) mask;
        copy.set(index, modified);
        return copy;
    }
}
