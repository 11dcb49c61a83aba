package org.kotekanj.baseband.cli;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kotekanj.rest.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kotekan-j trigger}: posts a baseband trigger to a node, follows its status with a progress line and prints
 * where the files are. Exit 0 when every frequency is done, 1 if any ended partial or in error, 2 if the node refused
 * the trigger or could not be reached.
 */
@Command(name = "trigger", mixinStandardHelpOptions = true,
    description = "Trigger a baseband dump on a node (POST /baseband), follow it, print where the files are.")
public final class TriggerCommand implements Callable<Integer>
{
    @Option(names = "--node", paramLabel = "URL", defaultValue = "http://127.0.0.1:12048",
        description = "the node's REST base URL (default ${DEFAULT-VALUE})")
    URI node;

    @Option(names = "--event-id", paramLabel = "N", description = "idempotency key (default: the current unix ms)")
    Long eventId;

    @Option(names = "--start-unix", paramLabel = "SECONDS", description = "burst arrival at the reference " +
        "frequency, unix seconds (decimals allowed); negative: the earliest data")
    String startUnix;

    @Option(names = "--start-fpga", paramLabel = "SAMPLE", description = "the same as a sample counter")
    Long startFpga;

    @Option(names = "--duration-ms", paramLabel = "MS", required = true, description = "width at the reference " +
        "frequency")
    double durationMs;

    @Option(names = "--dm", required = true, description = "dispersion measure, pc cm^-3")
    double dm;

    @Option(names = "--dm-error", defaultValue = "0", description = "its error (default ${DEFAULT-VALUE})")
    double dmError;

    @Option(names = "--ref-freq-mhz", description = "reference frequency (default: the node's, 400 MHz for CHIME)")
    Double refFreqMhz;

    @Option(names = "--file-path", defaultValue = "triggers", description = "sub-directory of the node's archive " +
        "(default ${DEFAULT-VALUE})")
    String filePath;

    @Option(names = "--source", defaultValue = "astro", description = "astro, rfi, test or external")
    String source;

    @Option(names = "--freq-ids", split = ",", description = "only these frequencies")
    List<Integer> freqIds;

    @Option(names = "--timeout-s", defaultValue = "120", description = "give up following after this long")
    double timeoutSeconds;

    @Option(names = "--no-follow", description = "post and print the plan only")
    boolean noFollow;

    @Override
    public Integer call() throws Exception
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        if ((startUnix == null) == (startFpga == null))
        {
            err.println("trigger: give exactly one of --start-unix and --start-fpga");
            return 2;
        }
        final ObjectNode body = body();
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final String base = node.toString().replaceAll("/+$", "");
        final HttpResponse<String> posted;
        try
        {
            posted = http.send(HttpRequest.newBuilder(URI.create(base + "/baseband"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (final java.io.IOException e)
        {
            err.println("trigger: cannot reach " + base + ": " + e.getMessage());
            return 2;
        }
        if (posted.statusCode() != 202 && posted.statusCode() != 200)
        {
            err.println("trigger: the node answered " + posted.statusCode() + ": " + posted.body());
            return 2;
        }
        final JsonNode plan = Json.parse(posted.body());
        final long id = plan.get("event_id").asLong();
        out.println("event " + id + (posted.statusCode() == 200 ? " (already triggered)" : "") + ": " +
            plan.get("freqs").size() + " frequencies into " + plan.get("directory").asText());
        if (noFollow)
        {
            out.println(Json.write(plan));
            return 0;
        }
        final Instant deadline = Instant.now().plusMillis((long)(timeoutSeconds * 1000));
        JsonNode status;
        while (true)
        {
            status = Json.parse(http.send(HttpRequest.newBuilder(URI.create(base + "/baseband/" + id))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            final long total = status.path("total").asLong();
            final long remaining = status.path("remaining").asLong();
            final String state = status.path("status").asText();
            out.printf("\r%-10s %6.1f%%  %,d of %,d bytes written   ", state,
                total == 0 ? 100.0 : 100.0 * (total - remaining) / total, total - remaining, total);
            out.flush();
            // Files are done once durable and in place; event.json (their SHA-256) follows: wait for it too.
            if (List.of("done", "partial", "error").contains(state) && !status.path("manifest_written").isNull() ||
                Instant.now().isAfter(deadline))
            {
                break;
            }
            Thread.sleep(200);
        }
        out.println();
        int bad = 0;
        for (final JsonNode freq : status.path("freqs"))
        {
            if (!"done".equals(freq.path("status").asText()))
            {
                bad++;
                out.println("  " + freq.path("file_name").asText() + ": " + freq.path("status").asText() +
                    (freq.path("reason").isNull() ? "" : " (" + freq.path("reason").asText() + ")"));
            }
        }
        out.println("files: {archive_root}/" + status.path("directory").asText() + " (" +
            status.path("freqs").size() + " files, " + bad + " not done; " +
            (status.path("manifest_written").isNull() ? "event.json not written yet" : "event.json beside them") + ")");
        return "done".equals(status.path("status").asText()) ? 0 : bad > 0 ? 1 : 2;
    }

    private ObjectNode body()
    {
        final ObjectNode body = Json.object();
        body.put("event_id", eventId != null ? eventId : System.currentTimeMillis());
        if (startFpga != null)
        {
            body.put("start_fpga", startFpga);
        }
        else
        {
            final java.math.BigDecimal seconds = new java.math.BigDecimal(startUnix);
            final java.math.BigDecimal whole = seconds.setScale(0, java.math.RoundingMode.FLOOR);
            body.put("start_unix_seconds", whole.longValueExact());
            body.put("start_unix_nano", seconds.subtract(whole).movePointRight(9).setScale(0,
                java.math.RoundingMode.HALF_EVEN).longValueExact());
        }
        body.put("duration_nano", Math.round(durationMs * 1e6));
        body.put("dm", dm);
        body.put("dm_error", dmError);
        body.put("file_path", filePath);
        if (refFreqMhz != null)
        {
            body.put("ref_freq_mhz", refFreqMhz);
        }
        if (freqIds != null)
        {
            freqIds.forEach(body.putArray("freq_ids")::add);
        }
        body.put("source", source);
        return body;
    }
}
