package dev.dossier.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.dossier.client.bulk.Outcome;
import java.util.Objects;

/**
 * What happened to one record: its commitment and salt, the transaction and block that hold it, and the outcome. One
 * line of a receipts file (JSON Lines), for example:
 *
 * <pre>{@code
 * {"record_id":"01234560789-7-0000001","version":1,"line":3,"commitment":"<64 hex>","salt":"<64 hex>",
 *  "tx_id":"<64 hex>","block":12,"outcome":"ANCHORED"}
 * }</pre>
 *
 * <p>A correction's receipt also names the entry it superseded: {@code "outcome":"SUPERSEDED","supersedes":"<64 hex>"}.
 *
 * <p>The salt lets the holder of the record recompute its commitment without the issuer's salt key; a receipt holds no
 * personal data, but whoever has both the record and its salt can test it against the ledger, so hand receipts out
 * with the records they belong to.
 *
 * @param recordId the record id
 * @param version the record's version
 * @param line the line of the input file the record came from, 0 when not from a file
 * @param commitment the commitment, 64 lowercase hexadecimal digits
 * @param salt the salt, 64 lowercase hexadecimal digits
 * @param txId the transaction that anchored it, or that found it already anchored
 * @param block the number of the block holding that transaction
 * @param outcome what the ledger did
 * @param reason why the ledger refused it (for {@link Outcome#CONFLICT} and {@link Outcome#REFUSED}), else null
 * @param supersedes for a correction, the commitment of the entry it supersedes, else null
 */
@JsonPropertyOrder({
    "record_id",
    "version",
    "line",
    "commitment",
    "salt",
    "tx_id",
    "block",
    "outcome",
    "reason",
    "supersedes"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnchorReceipt(
        @JsonProperty("record_id") String recordId,
        @JsonProperty("version") int version,
        @JsonProperty("line") long line,
        @JsonProperty("commitment") String commitment,
        @JsonProperty("salt") String salt,
        @JsonProperty("tx_id") String txId,
        @JsonProperty("block") long block,
        @JsonProperty("outcome") Outcome outcome,
        @JsonProperty("reason") String reason,
        @JsonProperty("supersedes") String supersedes) {
    public AnchorReceipt {
        Objects.requireNonNull(commitment, "commitment");
        Objects.requireNonNull(outcome, "outcome");
    }
}
