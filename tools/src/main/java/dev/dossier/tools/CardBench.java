package dev.dossier.tools;

import dev.dossier.client.card.CardIssuer;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordSource;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.SampleData;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.record.ValidatedRow;
import dev.dossier.common.card.CardKey;
import dev.dossier.crypto.P256PrivateKey;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Measures how fast the client signs inspector's cards ({@link CardIssuer#issue}: the card's CBOR, its ES256 COSE
 * signature and Base45 text), one thread, for records of {@code dossier sample-data}: the signing part of {@code dossier
 * anchor --cards}, without the ledger. A first pass over the records warms the JIT up; the second is timed. Prints
 * {@code cards=<n> seconds=<s> cards/s=<rate> characters(avg)=<length>}.
 *
 * <p>Usage: {@code CardBench [records (default 10000)]}
 */
public final class CardBench {
    private CardBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 1 || (args.length == 1 && !args[0].matches("[1-9][0-9]{0,6}"))) {
            System.err.println("usage: CardBench [records, 1 to 9999999 (default 10000)]");
            System.exit(2);
        }
        int count = args.length == 1 ? Integer.parseInt(args[0]) : 10_000;
        List<TrainingRecord> records = sampleRecords(count);
        P256PrivateKey key = P256PrivateKey.generate();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        CardIssuer issuer = new CardIssuer(
                key,
                new CardKey(
                        "Org1MSP", today, today.plusYears(3), key.publicKey().subjectPublicKeyInfo()));
        byte[] commitment = new byte[32];
        ThreadLocalRandom.current().nextBytes(commitment);
        long characters = 0;
        for (TrainingRecord record : records) { // warm-up pass
            characters += issuer.issue(record, commitment, Instant.now()).length();
        }
        long start = System.nanoTime();
        for (TrainingRecord record : records) {
            characters += issuer.issue(record, commitment, Instant.now()).length();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "cards=%d seconds=%.2f cards/s=%.0f characters(avg)=%d%n",
                records.size(), seconds, records.size() / seconds, characters / (2L * records.size()));
    }

    /** The valid records among {@code count} rows of {@code dossier sample-data}. */
    private static List<TrainingRecord> sampleRecords(int count) throws Exception {
        Path csv = Files.createTempFile("card-bench", ".csv");
        try {
            try (Writer out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                SampleData.builder().rows(count).build().write(out);
            }
            List<TrainingRecord> records = new ArrayList<>(count);
            RecordValidator validator = new RecordValidator();
            try (RecordSource source = RecordSource.open(csv)) {
                for (RawRow row = source.next(); row != null; row = source.next()) {
                    ValidatedRow validated = validator.validate(row);
                    if (validated.violations().isEmpty()) {
                        records.add(validated.record());
                    }
                }
            }
            return records;
        } finally {
            Files.deleteIfExists(csv);
        }
    }
}
