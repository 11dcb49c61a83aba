package org.kotekanj.baseband.waterfall;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import org.kotekanj.baseband.plan.DispersionWindow;

/**
 * The picture a scientist looks at first: power over (time, frequency) of an event's dump, raw (the dispersed sweep)
 * above and de-dispersed at the event's DM below (the burst a vertical line). Each frequency's power is divided by
 * its median so the band's shape does not hide the burst. Files are read in row slabs, so a large dump needs no more
 * heap than one slab and the image.
 */
public final class Waterfall
{
    /** One frequency's power in time bins, on the event's common time grid. */
    record Channel(int freqId, double freqMhz, long time0, double[] power)
    {
    }

    /** The rendered image and where the panels are, for tests. */
    public record Result(BufferedImage image, int columns, int rows, int rawTop, int dedispersedTop, int left,
        int[] rawPeakColumn, int[] dedispersedPeakColumn)
    {
    }

    private static final int SLAB_ROWS = 8192;
    private static final int MARGIN = 40;
    private static final int LABEL = 18;

    private Waterfall()
    {
    }

    /** Renders the event in {@code eventDir} with {@code columns} time bins per panel. */
    public static Result render(final Path eventDir, final int columns) throws IOException
    {
        final List<Path> files;
        try (Stream<Path> list = Files.list(eventDir))
        {
            files = list.filter(p -> p.getFileName().toString().matches("baseband_\\d+_\\d+\\.h5")).sorted().toList();
        }
        if (files.isEmpty())
        {
            throw new IOException("no baseband_*.h5 files in " + eventDir);
        }
        final List<Meta> metas = new ArrayList<>();
        for (final Path file : files)
        {
            metas.add(Meta.read(file));
        }
        metas.sort(Comparator.comparingDouble(Meta::freqMhz).reversed());
        final Meta first = metas.get(0);
        final double dm = first.dm;
        final double ref = first.refFreq;
        final double kDm = first.kDm;
        final long periodNs = Math.round(first.deltaTime * 1e9);
        long rawStart = Long.MAX_VALUE;
        long rawEnd = Long.MIN_VALUE;
        long dedStart = Long.MAX_VALUE;
        long dedEnd = Long.MIN_VALUE;
        final long[] shifts = new long[metas.size()];
        for (int i = 0; i < metas.size(); i++)
        {
            final Meta m = metas.get(i);
            shifts[i] = Math.floorDiv(DispersionWindow.delayNanos(kDm, dm, m.freqMhz, ref), periodNs);
            rawStart = Math.min(rawStart, m.time0);
            rawEnd = Math.max(rawEnd, m.time0 + m.ntime);
            dedStart = Math.min(dedStart, m.time0 - shifts[i]);
            dedEnd = Math.max(dedEnd, m.time0 + m.ntime - shifts[i]);
        }
        final int width = Math.max(1, columns);
        final double rawBin = Math.max(1.0, (rawEnd - rawStart) / (double)width);
        final double dedBin = Math.max(1.0, (dedEnd - dedStart) / (double)width);
        final double[][] raw = new double[metas.size()][width];
        final double[][] ded = new double[metas.size()][width];
        for (int i = 0; i < metas.size(); i++)
        {
            accumulate(metas.get(i), rawStart, rawBin, raw[i], ded[i], dedStart, dedBin, shifts[i]);
            normalise(raw[i]);
            normalise(ded[i]);
        }
        return draw(metas, raw, ded, width, dm, eventDir.getFileName().toString());
    }

    private static void accumulate(final Meta meta, final long rawStart, final double rawBin, final double[] raw, final double[] ded, final long dedStart, final double dedBin, final long shift)
        throws IOException
    {
        final double[] rawCount = new double[raw.length];
        final double[] dedCount = new double[ded.length];
        try (HdfFile hdf = new HdfFile(meta.file))
        {
            final Dataset baseband = hdf.getDatasetByPath("baseband");
            final int ninput = baseband.getDimensions()[1];
            for (long row = 0; row < meta.ntime; row += SLAB_ROWS)
            {
                final int rows = (int)Math.min(SLAB_ROWS, meta.ntime - row);
                final Object slab = baseband.getData(new long[] {row, 0}, new int[] {rows, ninput});
                for (int r = 0; r < rows; r++)
                {
                    final double power = power(slab, r, ninput);
                    final long sample = meta.time0 + row + r;
                    add(raw, rawCount, (int)((sample - rawStart) / rawBin), power);
                    add(ded, dedCount, (int)((sample - shift - dedStart) / dedBin), power);
                }
            }
        }
        for (int c = 0; c < raw.length; c++)
        {
            raw[c] = rawCount[c] > 0 ? raw[c] / rawCount[c] : Double.NaN;
            ded[c] = dedCount[c] > 0 ? ded[c] / dedCount[c] : Double.NaN;
        }
    }

    private static void add(final double[] sums, final double[] counts, final int column, final double value)
    {
        if (column >= 0 && column < sums.length)
        {
            sums[column] += value;
            counts[column]++;
        }
    }

    /** Power of one time sample summed over inputs; 4+4-bit offset binary, lost samples (0x88) are zero. */
    static double power(final Object slab, final int row, final int ninput)
    {
        double sum = 0;
        for (int i = 0; i < ninput; i++)
        {
            final int b = slab instanceof int[][] ints ? ints[row][i] & 0xFF : ((byte[][])slab)[row][i] & 0xFF;
            final int re = (b >> 4) - 8;
            final int im = (b & 0xF) - 8;
            sum += re * re + im * im;
        }
        return sum;
    }

    /** Divides by the median (the band's shape), leaving bins without data as NaN. */
    private static void normalise(final double[] values)
    {
        final double[] known = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (known.length == 0)
        {
            return;
        }
        final double median = Math.max(known[known.length / 2], 1e-9);
        for (int c = 0; c < values.length; c++)
        {
            values[c] /= median;
        }
    }

    private static Result draw(final List<Meta> metas, final double[][] raw, final double[][] ded, final int width,
        final double dm, final String title)
    {
        final int rowsPerFreq = Math.max(1, 256 / metas.size());
        final int panel = metas.size() * rowsPerFreq;
        final int left = MARGIN + 30;
        final int rawTop = LABEL * 2;
        final int dedTop = rawTop + panel + LABEL * 2;
        final BufferedImage image = new BufferedImage(left + width + MARGIN, dedTop + panel + MARGIN,
            BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        final double top = Math.max(1.5, percentile(raw, 0.999));
        final int[] rawPeaks = paint(image, raw, left, rawTop, rowsPerFreq, top);
        final int[] dedPeaks = paint(image, ded, left, dedTop, rowsPerFreq, top);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(title + ": raw (power / median per frequency)", left, rawTop - 6);
        g.drawString(String.format("de-dispersed at DM %.3f pc cm^-3", dm), left, dedTop - 6);
        g.drawString(String.format("%.1f MHz", metas.get(0).freqMhz), 2, rawTop + 10);
        g.drawString(String.format("%.1f MHz", metas.get(metas.size() - 1).freqMhz), 2, rawTop + panel);
        g.drawString("time ->", left + width - 50, dedTop + panel + 16);
        g.dispose();
        return new Result(image, width, panel, rawTop, dedTop, left, rawPeaks, dedPeaks);
    }

    /**
     * Paints one panel; returns each frequency's peak column ({@link #peak}).
     */
    private static int[] paint(final BufferedImage image, final double[][] values, final int left, final int top,
        final int rowsPerFreq, final double max)
    {
        final int[] peaks = new int[values.length];
        for (int f = 0; f < values.length; f++)
        {
            for (int c = 0; c < values[f].length; c++)
            {
                final double v = values[f][c];
                final int rgb = Double.isNaN(v) ? 0xDDDDDD : colour((v - 0.5) / (max - 0.5));
                for (int r = 0; r < rowsPerFreq; r++)
                {
                    image.setRGB(left + c, top + f * rowsPerFreq + r, rgb);
                }
            }
            peaks[f] = peak(values[f], Math.max(1, values[f].length / 64));
        }
        return peaks;
    }

    /**
     * The burst's column: boxcar-smooth, then the centroid of the columns above half-way between the median (1 after
     * {@link #normalise}) and the smoothed maximum.
     */
    static int peak(final double[] values, final int box)
    {
        final double[] smooth = new double[values.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < values.length; c++)
        {
            double sum = 0;
            int n = 0;
            for (int k = Math.max(0, c - box / 2); k < Math.min(values.length, c - box / 2 + box); k++)
            {
                if (!Double.isNaN(values[k]))
                {
                    sum += values[k];
                    n++;
                }
            }
            smooth[c] = n == 0 ? Double.NaN : sum / n;
            if (n > 0)
            {
                max = Math.max(max, smooth[c]);
            }
        }
        final double threshold = (1.0 + max) / 2;
        double weight = 0;
        double moment = 0;
        for (int c = 0; c < smooth.length; c++)
        {
            if (smooth[c] > threshold)
            {
                weight += smooth[c] - threshold;
                moment += (smooth[c] - threshold) * c;
            }
        }
        return weight > 0 ? (int)Math.round(moment / weight) : 0;
    }

    /** A dark-blue to yellow ramp (viridis-like). */
    static int colour(final double x)
    {
        final double t = Math.clamp(x, 0.0, 1.0);
        final int r = (int)(255 * Math.clamp(-0.1 + 1.6 * t * t, 0, 1));
        final int g = (int)(255 * Math.clamp(0.05 + 0.9 * t, 0, 1));
        final int b = (int)(255 * Math.clamp(0.35 + 0.5 * Math.sin(Math.PI * t) - 0.3 * t, 0, 1));
        return r << 16 | g << 8 | b;
    }

    private static double percentile(final double[][] values, final double q)
    {
        final double[] all = Arrays.stream(values).flatMapToDouble(Arrays::stream).filter(v -> !Double.isNaN(v))
            .sorted().toArray();
        return all.length == 0 ? 1.0 : all[(int)Math.min(all.length - 1, Math.floor(q * all.length))];
    }

    /** What the renderer needs from a file's attributes. */
    private record Meta(Path file, int freqId, double freqMhz, long time0, long ntime, double dm, double refFreq,
        double kDm, double deltaTime)
    {
        static Meta read(final Path file) throws IOException
        {
            try (HdfFile hdf = new HdfFile(file))
            {
                return new Meta(file, (int)number(hdf, "freq_id"), number(hdf, "freq"),
                    (long)number(hdf, "time0_fpga_count"), hdf.getDatasetByPath("baseband").getDimensions()[0],
                    number(hdf, "dm"), number(hdf, "ref_freq"), number(hdf, "k_dm"), number(hdf, "delta_time"));
            }
            catch (final RuntimeException e)
            {
                throw new IOException(file + " is not a baseband dump: " + e.getMessage(), e);
            }
        }

        private static double number(final HdfFile hdf, final String name)
        {
            return ((Number)hdf.getAttribute(name).getData()).doubleValue();
        }
    }
}
