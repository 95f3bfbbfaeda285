package dev.dossier.node.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvocationTest {
    private static Invocation with(List<ByteString> args, byte[] binding) {
        return new Invocation("ch", "tx", args, Map.of(), ByteString.EMPTY, "Org1MSP", Instant.EPOCH, null, binding);
    }

    @Test
    void bindingAndArgs_copiedInAndOut() {
        byte[] binding = {1, 2, 3};
        List<ByteString> args = new ArrayList<>(List.of(ByteString.copyFromUtf8("f")));
        Invocation invocation = with(args, binding);

        binding[0] = 9;
        args.add(ByteString.copyFromUtf8("extra"));
        invocation.binding()[1] = 9;

        assertThat(invocation.binding()).containsExactly(1, 2, 3);
        assertThat(invocation.args()).hasSize(1);
    }

    @Test
    void equals_comparesBindingByContent() {
        assertThat(with(List.of(), new byte[] {1}))
                .isEqualTo(with(List.of(), new byte[] {1}))
                .hasSameHashCodeAs(with(List.of(), new byte[] {1}))
                .isNotEqualTo(with(List.of(), new byte[] {2}));
        assertThat(with(List.of(), null)).isEqualTo(with(List.of(), null));
    }

    @Test
    void requiredComponents_null_throwsNamingThem() {
        assertThatThrownBy(() -> new Invocation(
                        "ch", null, List.of(), Map.of(), ByteString.EMPTY, "m", Instant.EPOCH, null, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("txId");
        assertThatThrownBy(
                        () -> new Invocation("ch", "tx", List.of(), Map.of(), ByteString.EMPTY, "m", null, null, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("timestamp");
    }
}
