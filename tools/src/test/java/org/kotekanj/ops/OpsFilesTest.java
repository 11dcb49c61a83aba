package org.kotekanj.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The operator files in {@code tools/ops/}: the alert rules pass {@code promtool}, and the alerts and the Grafana
 * dashboard name only metrics of the contract ({@code shared/specs/metrics.md}) or of node_exporter.
 */
class OpsFilesTest
{
    private static final Path OPS = Path.of("ops");
    private static final Path ALERTS = OPS.resolve("kotekan-j-alerts.yml");
    private static final Path ALERT_TESTS = OPS.resolve("kotekan-j-alerts.test.yml");
    private static final Path DASHBOARD = OPS.resolve("kotekan-j-grafana.json");
    /** What the disk and liveness alerts read from Prometheus itself and from node_exporter. */
    private static final Set<String> NOT_OURS = Set.of("up", "node_filesystem_avail_bytes", "node_filesystem_size_bytes");
    private static final Pattern METRIC = Pattern.compile("\\b(kotekan_[a-z0-9_]+|node_(?!exporter\\b)[a-z0-9_]+)\\b");
    private static final Pattern CONTRACT_NAME = Pattern.compile("`(kotekan_[a-z0-9_]*[a-z0-9])[`{]");

    private static String promtool(final String... args) throws IOException, InterruptedException
    {
        final Path promtool = Stream.of("/usr/bin/promtool", "/usr/local/bin/promtool").map(Path::of)
            .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(promtool != null, "promtool is not installed (Debian package prometheus)");
        final List<String> command = new java.util.ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).directory(OPS.toFile()).redirectErrorStream(true).start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    /** The contract's names, where this checkout has the shared specs beside it (the repository root or above). */
    private static Set<String> contractNames() throws IOException
    {
        final Path specs = Stream.of(Path.of("../shared/specs/metrics.md"), Path.of("../../shared/specs/metrics.md"))
            .filter(Files::isRegularFile).findFirst().orElse(null);
        assumeTrue(specs != null, "shared/specs/metrics.md is not beside this checkout");
        final Set<String> names = new TreeSet<>();
        final Matcher matcher = CONTRACT_NAME.matcher(Files.readString(specs));
        while (matcher.find())
        {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static Set<String> referenced(final String text)
    {
        final Set<String> names = new TreeSet<>();
        final Matcher matcher = METRIC.matcher(text);
        while (matcher.find())
        {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** A histogram's series ({@code _bucket}, {@code _sum}, {@code _count}) belong to the histogram's name. */
    private static String family(final String series, final Set<String> contract)
    {
        for (final String suffix : List.of("_bucket", "_sum", "_count"))
        {
            if (series.endsWith(suffix) && contract.contains(series.substring(0, series.length() - suffix.length())))
            {
                return series.substring(0, series.length() - suffix.length());
            }
        }
        return series;
    }

    private static String script(final Path dir, final java.util.Map<String, String> env, final String... args)
        throws IOException, InterruptedException
    {
        final List<String> command = new java.util.ArrayList<>(List.of("bash"));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(OPS.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        final Process process = builder.start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "script did not finish");
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    @Test
    void shouldReserveTheConfiguredHugepagesPerNumaNode(@org.junit.jupiter.api.io.TempDir final Path sys)
        throws Exception
    {
        for (final String node : List.of("node0", "node1"))
        {
            final Path pages = sys.resolve("devices/system/node/" + node + "/hugepages/hugepages-2048kB");
            Files.createDirectories(pages);
            Files.writeString(pages.resolve("nr_hugepages"), "0\n");
        }
        final java.util.Map<String, String> env = java.util.Map.of("KOTEKANJ_SYSFS", sys.toString(),
            "KOTEKANJ_HUGEPAGES_GIB", "2,1");
        assertEquals("node 0: want 1024 x 2 MiB (2 GiB), reserved 0\nnode 1: want 512 x 2 MiB (1 GiB), reserved 0\n",
            script(sys, env, "setup-hugepages.sh"));
        assertEquals("node 0: want 1024 x 2 MiB (2 GiB), reserved 1024\nnode 1: want 512 x 2 MiB (1 GiB), reserved 512\n",
            script(sys, env, "setup-hugepages.sh", "--apply"));
    }

    @Test
    void shouldRaiseTheSocketBufferCeilingToTheConfiguredSize(@org.junit.jupiter.api.io.TempDir final Path dir)
        throws Exception
    {
        final String settings = script(dir, java.util.Map.of("KOTEKANJ_RMEM_MAX", "536870912"), "setup-sysctl.sh");
        assertTrue(settings.contains("net.core.rmem_max = 536870912\n"), settings);
        assertTrue(settings.contains("net.core.netdev_max_backlog = "), settings);
    }

    @Test
    void shouldPassPromtoolCheckRules() throws Exception
    {
        assertTrue(promtool("check", "rules", ALERTS.getFileName().toString()).contains("SUCCESS"));
    }

    @Test
    void shouldFireEachTestedAlertOnItsSeriesInPromtoolsUnitTests() throws Exception
    {
        assertTrue(promtool("test", "rules", ALERT_TESTS.getFileName().toString()).contains("SUCCESS"));
    }

    @Test
    void shouldCoverEveryAlertTheIssueAsksFor() throws Exception
    {
        final Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(ALERTS));
        final Set<String> alerts = new TreeSet<>();
        final Set<String> expressions = new TreeSet<>();
        for (final Object group : (List<?>)((java.util.Map<?, ?>)loaded).get("groups"))
        {
            for (final Object rule : (List<?>)((java.util.Map<?, ?>)group).get("rules"))
            {
                final java.util.Map<?, ?> map = (java.util.Map<?, ?>)rule;
                alerts.add(String.valueOf(map.get("alert")));
                expressions.add(String.valueOf(map.get("expr")));
                assertTrue(((java.util.Map<?, ?>)map.get("annotations")).containsKey("summary"), map.toString());
            }
        }
        for (final String alert : List.of("KotekanPacketLoss", "KotekanSocketDrops", "KotekanBackPressure",
            "KotekanRingSpanShort", "KotekanCorrelatorFallingBehind", "KotekanBasebandErrors", "KotekanDiskNearlyFull"))
        {
            assertTrue(alerts.contains(alert), alert + " missing from " + alerts);
        }
        assertFalse(expressions.isEmpty());
    }

    @Test
    void shouldNameOnlyContractMetricsInTheAlertsAndTheDashboard() throws Exception
    {
        final Set<String> contract = contractNames();
        assertTrue(contract.contains("kotekan_rx_packets_total"), contract.toString());
        for (final Path file : List.of(ALERTS, DASHBOARD))
        {
            final Set<String> unknown = new TreeSet<>();
            for (final String series : referenced(Files.readString(file)))
            {
                final String name = family(series, contract);
                if (!contract.contains(name) && !NOT_OURS.contains(name))
                {
                    unknown.add(series);
                }
            }
            assertTrue(unknown.isEmpty(), file + " names metrics outside metrics.md: " + unknown);
        }
    }

    @Test
    void shouldShowEveryContractMetricFamilyOnTheDashboard() throws Exception
    {
        final Set<String> shown = new TreeSet<>();
        final JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        for (final JsonNode panel : dashboard.path("panels"))
        {
            for (final JsonNode target : panel.path("targets"))
            {
                shown.addAll(referenced(target.path("expr").asText()));
            }
        }
        final Set<String> contract = contractNames();
        final Set<String> missing = new TreeSet<>(contract);
        shown.forEach(series -> missing.remove(family(series, contract)));
        // Datagram counts of back-pressure drops duplicate the samples counter the dashboard shows.
        missing.remove("kotekan_rx_dropped_backpressure_total");
        assertTrue(missing.isEmpty(), "metrics.md names the dashboard does not show: " + missing);
    }
}
