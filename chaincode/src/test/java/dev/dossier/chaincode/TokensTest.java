package dev.dossier.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokensTest {
    @Test
    void lowerHex64_acceptsEitherCaseAndNormalises() {
        assertThat(Tokens.lowerHex64("ab".repeat(32))).isEqualTo("ab".repeat(32));
        assertThat(Tokens.lowerHex64("AB".repeat(32))).isEqualTo("ab".repeat(32));
        assertThat(Tokens.lowerHex64("ab".repeat(31))).isNull();
        assertThat(Tokens.lowerHex64("ag".repeat(32))).isNull();
        assertThat(Tokens.lowerHex64(null)).isNull();
    }

    @Test
    void isKind_lowercaseTokensOnly() {
        assertThat(Tokens.isKind("record")).isTrue();
        assertThat(Tokens.isKind("certificate.v2_x-y")).isTrue();
        assertThat(Tokens.isKind("a".repeat(32))).isTrue();
        assertThat(Tokens.isKind("a".repeat(33))).isFalse();
        assertThat(Tokens.isKind("Mario Rossi")).isFalse();
        assertThat(Tokens.isKind("1record")).isFalse();
        assertThat(Tokens.isKind("")).isFalse();
    }

    @Test
    void isDate_realCalendarDatesOnly() {
        assertThat(Tokens.isDate("2024-02-29")).isTrue();
        assertThat(Tokens.isDate("2023-02-29")).isFalse();
        assertThat(Tokens.isDate("2030-13-01")).isFalse();
        assertThat(Tokens.isDate("2030-1-01")).isFalse();
        assertThat(Tokens.isDate("2030-01-00")).isFalse();
        assertThat(Tokens.isDate("2030/01/01")).isFalse();
        assertThat(Tokens.isDate(null)).isFalse();
    }
}
