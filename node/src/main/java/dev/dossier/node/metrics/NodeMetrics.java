package dev.dossier.node.metrics;

import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingClientInterceptor;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.DoubleStream;

/**
 * The meters of one node, in a Micrometer registry that {@link #scrape} writes in Prometheus' text format (the HTTP
 * API's {@code /metrics}). From the start it holds the JVM's standard meters ({@code jvm_memory_*}, {@code jvm_gc_*},
 * {@code jvm_threads_*}, {@code jvm_classes_*}, {@code process_*}, {@code system_*}); the node's gRPC server and its
 * clients add {@code grpc_server_*} and {@code grpc_client_*} through {@link #grpcServer} and {@link #grpcClient}
 * (labelled by service, method and status code: a bounded set), and the node's parts add their own {@code dossier_*}
 * gauges and counters through {@link #registry} and {@link #gauge}.
 *
 * <p>Micrometer names {@code a.b.c} become {@code a_b_c} in the scrape, and counters get the suffix {@code _total}.
 * Labels must stay few: never a commitment, a transaction id or a client's address.
 */
public final class NodeMetrics implements AutoCloseable {
    private static final Set<String> LEFT_OUT = Set.of("process.cpu.time", "system.cpu.count");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** A registry with the JVM's and the process's meters. */
    public NodeMetrics() {
        // Prometheus' linter (promtool check metrics) wants snake_case labels (gRPC's binder writes methodType and
        // statusCode), no abbreviated units (process_cpu_time_ns_total) and no gauge ending in _count
        // (system_cpu_count): the labels are renamed, the two meters left out (process_cpu_usage still tells the
        // CPU the node takes).
        registry.config()
                .namingConvention(new SnakeCaseLabels())
                .meterFilter(MeterFilter.deny(id -> LEFT_OUT.contains(id.getName())))
                .meterFilter(new LatencyBuckets());
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        // the heap gauges /metrics served before the JVM binders; operators' alerts may still read them
        heap("used", "Used JVM heap (as the sum of jvm_memory_used_bytes{area=\"heap\"}).", MemoryUsage::getUsed);
        heap("committed", "Committed JVM heap.", MemoryUsage::getCommitted);
        heap("max", "Largest JVM heap (-1: undefined).", MemoryUsage::getMax);
    }

    private void heap(String what, String help, HeapValue value) {
        gauge(
                "jvm.memory.heap." + what + ".bytes",
                help,
                () -> value.of(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage()));
    }

    @FunctionalInterface
    private interface HeapValue {
        long of(MemoryUsage usage);
    }

    /** @return the registry the node's parts add their meters to */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Adds a gauge read at each scrape: {@code name} in Micrometer's dotted form ({@code dossier.ledger.height} is
     * {@code dossier_ledger_height} in the scrape), {@code help} its HELP line.
     */
    public void gauge(String name, String help, Supplier<Number> value) {
        gauge(name, Tags.empty(), help, value);
    }

    /** Adds a gauge with labels, read at each scrape; see {@link #gauge(String, String, Supplier)}. */
    public void gauge(String name, Tags tags, String help, Supplier<Number> value) {
        Gauge.builder(name, value).tags(tags).description(help).register(registry);
    }

    /** @return every meter now, in Prometheus' text format 0.0.4 */
    public String scrape() {
        return registry.scrape();
    }

    /** @return an interceptor that counts and times the calls a gRPC server answers ({@code grpc_server_*}) */
    public ServerInterceptor grpcServer() {
        return new MetricCollectingServerInterceptor(registry);
    }

    /** @return an interceptor that counts and times the calls a gRPC client makes ({@code grpc_client_*}) */
    public ClientInterceptor grpcClient() {
        return new MetricCollectingClientInterceptor(registry);
    }

    /**
     * Fixed buckets for the gRPC calls' durations ({@code grpc_server_processing_duration_seconds_bucket{le}} and the
     * client's), so that a percentile of calls can be read and alerted on: 15 buckets from 0.5 ms to 10 s, the same
     * for every method, a bounded number of series.
     */
    private static final class LatencyBuckets implements MeterFilter {
        private static final double[] NANOS = DoubleStream.of(
                        0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .map(seconds -> seconds * 1e9)
                .toArray();

        @Override
        public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            if (!id.getName().equals("grpc.server.processing.duration")
                    && !id.getName().equals("grpc.client.processing.duration")) {
                return config;
            }
            return DistributionStatisticConfig.builder()
                    .serviceLevelObjectives(NANOS)
                    .build()
                    .merge(config);
        }
    }

    /** Prometheus' naming, with label names in snake_case: {@code statusCode} becomes {@code status_code}. */
    private static final class SnakeCaseLabels extends PrometheusNamingConvention {
        private static final Pattern HUMP = Pattern.compile("([a-z0-9])([A-Z])");

        @Override
        public String tagKey(String key) {
            return super.tagKey(HUMP.matcher(key).replaceAll("$1_$2").toLowerCase(Locale.ROOT));
        }
    }

    /** Stops listening for garbage collections and closes the registry. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
