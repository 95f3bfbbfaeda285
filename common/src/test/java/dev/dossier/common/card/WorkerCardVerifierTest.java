package dev.dossier.common.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dossier.common.card.WorkerCardCheck.Status;
import dev.dossier.common.entry.LedgerEntry;
import dev.dossier.common.verdict.Verdict;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's safety card: its statuses by date, its signer's checks, its strict decoding and the ledger's rules. */
class WorkerCardVerifierTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
    private static final Instant SIGNED = Instant.parse("2025-06-02T10:00:00Z");
    private static final TestSigner SIGNER = new TestSigner();
    private static final CardKey KEY = SIGNER.key("Org1MSP", LocalDate.of(2025, 1, 1), LocalDate.of(2027, 12, 31));
    private static final WorkerCardVerifier VERIFIER = new WorkerCardVerifier(List.of(KEY));

    private static WorkerCard.Module module(int n, LocalDate validUntil) {
        byte[] prefix = new byte[16];
        prefix[0] = (byte) n;
        return new WorkerCard.Module("module_" + n, "Title " + n, validUntil, prefix);
    }

    private static WorkerCard card(String issuer, Instant signedAt, WorkerCard.Module... modules) {
        return new WorkerCard("Maria", "Rossi", LocalDate.of(1985, 4, 12), List.of(modules), issuer, signedAt);
    }

    private static String sign(WorkerCard card) {
        return CardCodec.encode(card, SIGNER.keyId(), SIGNER);
    }

    /** Signs any claims as a worker's card, for payloads the honest encoder cannot make. */
    private static String signClaims(Map<Long, Object> claims) {
        return SIGNER.signClaims(WorkerCard.PREFIX, claims);
    }

    @Test
    void modules_byDate_validExpiringWithin60DaysOrExpired() {
        String text = sign(card(
                "Org1MSP",
                SIGNED,
                module(1, null),
                module(2, TODAY.plusDays(61)),
                module(3, TODAY.plusDays(60)),
                module(4, TODAY),
                module(5, TODAY.minusDays(1))));
        assertThat(text).startsWith("DW1:").matches("[0-9A-Z $%*+\\-./:]+");
        WorkerCardCheck check = VERIFIER.verify(text, TODAY);
        assertThat(check.verdict()).isEqualTo(Verdict.VALID);
        assertThat(check.online()).isFalse();
        assertThat(check.card().familyName()).isEqualTo("Rossi");
        assertThat(check.modules())
                .extracting(WorkerCardCheck.ModuleCheck::status)
                .containsExactly(Status.VALID, Status.VALID, Status.EXPIRING, Status.EXPIRING, Status.EXPIRED);
        assertThat(check.modules().get(2).reason())
                .isEqualTo("valid until 2026-04-30, 60 days from today: refresh soon");
        assertThat(check.modules().get(4).reason())
                .isEqualTo("expired: valid only until 2026-02-28, the training must be refreshed");
        assertThat(check.reason())
                .isEqualTo("genuine, signed by Org1MSP on 2025-06-02; 2 valid, 2 expiring, 1 expired");
        assertThat(check.digest()).hasSize(64);
    }

    @Test
    void anotherOrganisationsIssuer_orSignedOutsideTheKeysValidity_isUnknownSigner() {
        WorkerCardCheck other = VERIFIER.verify(sign(card("Org2MSP", SIGNED, module(1, null))), TODAY);
        assertThat(other.verdict()).isEqualTo(Verdict.UNKNOWN_SIGNER);
        assertThat(other.reason()).startsWith("the card names Org2MSP as its issuer, but Org1MSP's key");
        assertThat(other.card()).isNull();
        WorkerCardCheck late =
                VERIFIER.verify(sign(card("Org1MSP", Instant.parse("2028-01-01T00:00:00Z"), module(1, null))), TODAY);
        assertThat(late.verdict()).isEqualTo(Verdict.UNKNOWN_SIGNER);
        assertThat(late.reason()).contains("which may sign only from 2025-01-01 to 2027-12-31");
    }

    @Test
    void aRecordsCardIsNotAWorkersCard_eitherWay() {
        String recordCard = SIGNER.sign(CardVerifierTest.card());
        assertThat(VERIFIER.verify(recordCard, TODAY).reason()).isEqualTo("not a card: it does not start with DW1:");
        WorkerCardCheck swapped = VERIFIER.verify(WorkerCard.PREFIX + recordCard.substring(4), TODAY);
        assertThat(swapped.verdict()).isEqualTo(Verdict.TAMPERED);
        assertThat(swapped.reason()).isEqualTo("signed, but not a worker's card: unknown claim -65537");
        String workerCard = sign(card("Org1MSP", SIGNED, module(1, null)));
        CardCheck asRecordCard = new CardVerifier(List.of(KEY)).verify("DC1:" + workerCard.substring(4), TODAY);
        assertThat(asRecordCard.verdict()).isEqualTo(Verdict.TAMPERED);
        assertThat(asRecordCard.reason()).isEqualTo("signed, but not a card: unknown claim -65538");
    }

    @Test
    void moreThanEightModules_isAClearError_whenSigning_andTamperedWhenSignedAnyway() {
        List<WorkerCard.Module> nine = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            nine.add(module(i, null));
        }
        assertThatThrownBy(() -> new WorkerCard("Maria", "Rossi", null, nine, "Org1MSP", SIGNED))
                .hasMessage("a worker's card lists at most 8 modules, not 9: choose the modules the work on site"
                        + " needs");
        Map<Long, Object> claims = card("Org1MSP", SIGNED, module(1, null)).claims();
        @SuppressWarnings("unchecked")
        Map<Long, Object> facts = new LinkedHashMap<>((Map<Long, Object>) claims.get(WorkerCard.FACTS));
        facts.put(4L, Collections.nCopies(9, nine.get(0).facts()));
        claims.put(WorkerCard.FACTS, facts);
        WorkerCardCheck check = VERIFIER.verify(signClaims(claims), TODAY);
        assertThat(check.verdict()).isEqualTo(Verdict.TAMPERED);
        assertThat(check.reason()).isEqualTo("signed, but not a worker's card: more than 8 modules");
    }

    @Test
    void aModuleWithAShortPrefix_aMissingName_orAnUnknownFact_isTampered() {
        Map<Long, Object> claims = card("Org1MSP", SIGNED, module(1, null)).claims();
        @SuppressWarnings("unchecked")
        Map<Long, Object> facts = new LinkedHashMap<>((Map<Long, Object>) claims.get(WorkerCard.FACTS));
        facts.put(4L, List.of(List.of("m", "t", new byte[15])));
        claims.put(WorkerCard.FACTS, facts);
        assertThat(VERIFIER.verify(signClaims(claims), TODAY).reason())
                .isEqualTo("signed, but not a worker's card: a module's commitment prefix is 16 to 32 bytes, not 15");
        facts.put(4L, List.of(module(1, null).facts()));
        facts.remove(2L);
        assertThat(VERIFIER.verify(signClaims(claims), TODAY).reason())
                .isEqualTo("signed, but not a worker's card: the worker's names (facts 1, 2) and the issuer (claim 1)"
                        + " are required");
        facts.put(2L, "Rossi");
        facts.put(5L, "extra");
        assertThat(VERIFIER.verify(signClaims(claims), TODAY).reason())
                .isEqualTo("signed, but not a worker's card: unknown fact 5");
    }

    @Test
    void withLedger_eachModulesEntry_mustBeTheSignersAndActive() {
        WorkerCardCheck offline = VERIFIER.verify(
                sign(card("Org1MSP", SIGNED, module(1, null), module(2, TODAY.plusYears(1)), module(3, null))), TODAY);
        LedgerEntry active = entry("Org1MSP");
        WorkerCardCheck online = WorkerCardVerifier.withLedger(
                offline,
                List.of(
                        active,
                        entry("Org1MSP").revoked("fraud", "2025-02-01T00:00:00Z"),
                        entry("Org1MSP").supersededBy("ab".repeat(32))));
        assertThat(online.verdict()).isEqualTo(Verdict.VALID);
        assertThat(online.online()).isTrue();
        assertThat(online.modules())
                .extracting(WorkerCardCheck.ModuleCheck::status)
                .containsExactly(Status.VALID, Status.REVOKED, Status.SUPERSEDED);
        assertThat(online.modules().get(0).reason()).isEqualTo("no expiry; anchored, status active");
        assertThat(online.modules().get(1).reason()).isEqualTo("revoked by Org1MSP (fraud)");
        assertThat(online.reason())
                .isEqualTo("genuine, signed by Org1MSP, every module anchored by Org1MSP; 1 valid, 1 revoked, 1"
                        + " superseded");

        WorkerCardCheck refused = WorkerCardVerifier.withLedger(offline, Arrays.asList(active, entry("Org2MSP"), null));
        assertThat(refused.verdict()).isEqualTo(Verdict.NOT_FOUND);
        assertThat(refused.modules())
                .extracting(WorkerCardCheck.ModuleCheck::status)
                .containsExactly(Status.VALID, Status.REFUSED, Status.NOT_FOUND);
        assertThat(refused.reason())
                .isEqualTo("signed by Org1MSP, but module 2 (module_2): its record is anchored by Org2MSP, not by the"
                        + " card's signer Org1MSP: an organisation lists only records it anchored: do not accept this"
                        + " card");
        assertThatThrownBy(() -> WorkerCardVerifier.withLedger(offline, List.of(active)))
                .hasMessage("1 ledger entries for 3 modules");
        WorkerCardCheck tampered = VERIFIER.verify("DW1:ABC", TODAY);
        assertThat(WorkerCardVerifier.withLedger(tampered, List.of())).isSameAs(tampered);
    }

    /** Whatever the COSE bytes, a verdict with a reason, never an exception; facts only for a genuine card. */
    @FuzzTest
    void bytes(byte[] data) {
        WorkerCardCheck check = VERIFIER.verify(WorkerCard.PREFIX + Base45.encode(data), TODAY);
        assertThat(check.reason()).isNotBlank();
        assertThat(check.genuine()).isEqualTo(check.verdict() == Verdict.VALID);
    }

    private static LedgerEntry entry(String mspId) {
        return LedgerEntry.anchored("00".repeat(32), "record", 1, null, null, mspId, null, "2025-01-01T00:00:00Z");
    }

    @Test
    void offlineWithARevocationList_modulesOnTheListAreRevokedOrSuperseded_theOthersKeepTheirDates() {
        WorkerCardCheck offline = VERIFIER.verify(
                sign(card("Org1MSP", SIGNED, module(1, null), module(2, TODAY.plusYears(1)), module(3, null))), TODAY);
        // module n's prefix starts with the byte n, then zeros: its 8-byte list entry is n << 56
        dev.dossier.common.revocation.RevocationList list = new dev.dossier.common.revocation.RevocationList(
                "dossier/dossier/notary", 7, 0, 42, 1_767_225_600L, new long[] {2L << 56}, new long[] {3L << 56});

        WorkerCardCheck checked = CardRevocations.apply(offline, list);

        assertThat(checked.verdict()).isEqualTo(Verdict.VALID);
        assertThat(checked.online()).isFalse();
        assertThat(checked.modules())
                .extracting(WorkerCardCheck.ModuleCheck::status)
                .containsExactly(Status.VALID, Status.REVOKED, Status.SUPERSEDED);
        assertThat(checked.modules().get(1).reason())
                .isEqualTo("revoked on the revocation list of ledger height 42 (2026-01-01T00:00:00Z, version 7)");
        assertThat(checked.reason())
                .startsWith("genuine, signed by Org1MSP on ")
                .endsWith("; 1 valid, 1 revoked, 1 superseded; revocations as of the revocation list of ledger height"
                        + " 42 (2026-01-01T00:00:00Z, version 7)");
        assertThat(CardRevocations.apply(VERIFIER.verify("DW1:garbage", TODAY), list)
                        .verdict())
                .isEqualTo(Verdict.TAMPERED);
    }
}
