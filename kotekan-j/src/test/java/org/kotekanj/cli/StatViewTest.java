package org.kotekanj.cli;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.kotekanj.status.PrometheusWriter.Sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatViewTest
{
    private static Sample sample(final String series, final double value)
    {
        return new Sample(series, series.substring(0, series.indexOf('{')), 0, value);
    }

    private static List<Sample> reading(final double packets, final double lost, final double integrations)
    {
        return List.of(
            sample("kotekan_rx_packets_total{stage_name=\"/recv\",stream=\"0.3.1\",port=\"15000\"}", packets),
            sample("kotekan_rx_bytes_total{stage_name=\"/recv\",stream=\"0.3.1\",port=\"15000\"}", packets * 4096),
            sample("kotekan_rx_lost_samples_total{stage_name=\"/recv\",stream=\"0.3.1\",port=\"15000\"}", lost),
            sample("kotekan_rx_socket_drops_total{stage_name=\"/recv\",port=\"15000\"}", 3),
            sample("kotekan_rx_idle_ratio{stage_name=\"/recv\"}", 0.25),
            sample("kotekan_buffer_frames_full{stage_name=\"/gpu\",buffer=\"gpu\"}", 2),
            sample("kotekan_buffer_fill_ratio{stage_name=\"/gpu\",buffer=\"gpu\"}", 0.5),
            sample("kotekan_corr_integrations_total{stage_name=\"/correlator\"}", integrations),
            sample("kotekan_corr_kernel_seconds_sum{stage_name=\"/correlator\"}", 0.5),
            sample("kotekan_corr_kernel_seconds_count{stage_name=\"/correlator\"}", 100),
            sample("kotekan_baseband_ring_span_seconds{stage_name=\"/baseband\"}", 33.09),
            sample("kotekan_baseband_readout_total{stage_name=\"/baseband\",freq_id=\"1\",status=\"done\"}", 4));
    }

    @Test
    void shouldShowRatesLossBuffersCorrelatorAndRingFromTwoReadings()
    {
        final String screen = StatView.render("node (pid 1, running)", 0,
            reading(200_000, 40, 12), reading(100_000, 20, 10), 2.0);
        final List<String> lines = screen.lines().toList();
        assertEquals("node (pid 1, running)   1970-01-01 00:00:00 UTC", lines.get(0));
        assertTrue(screen.contains("        0.3.1               50,000    1.638       10.0           40"), screen);
        assertTrue(screen.contains("/recv: receive core idle 25.0 %"), screen);
        assertTrue(screen.contains("kernel socket drops: :15000 3 (0.0/s)"), screen);
        assertTrue(screen.contains("        gpu                                     2    50.0%"), screen);
        assertTrue(screen.contains("           /correlator                         12       60.0            0" +
            "       5.000 ms"), screen);
        assertTrue(screen.contains("33.09s"), screen);
        assertTrue(screen.contains("done 4"), screen);
        assertTrue(lines.stream().allMatch(line -> line.length() <= 110 && line.chars().allMatch(c -> c < 128)),
            "plain ASCII that fits an ssh terminal:\n" + screen);
    }

    @Test
    void shouldShowNoRatesBeforeTheSecondReading()
    {
        final String screen = StatView.render("node", 0, reading(100, 0, 0), null, 0);
        assertTrue(screen.contains("        0.3.1                    -        -          -            0"), screen);
    }
}
