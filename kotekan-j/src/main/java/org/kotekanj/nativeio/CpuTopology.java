package org.kotekanj.nativeio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/** Which CPUs and NUMA nodes this machine has online, read from sysfs, for validating {@code cpu_affinity} and {@code numa_node}. */
public final class CpuTopology
{
    private final BitSet onlineCpus;
    private final BitSet onlineNodes;

    public CpuTopology(final BitSet onlineCpus, final BitSet onlineNodes)
    {
        this.onlineCpus = onlineCpus;
        this.onlineNodes = onlineNodes;
    }

    public static CpuTopology read()
    {
        final BitSet cpus = readList("/sys/devices/system/cpu/online");
        if (cpus.isEmpty())
        {
            cpus.set(0, Runtime.getRuntime().availableProcessors());
        }
        final BitSet nodes = readList("/sys/devices/system/node/online");
        if (nodes.isEmpty())
        {
            nodes.set(0);
        }
        return new CpuTopology(cpus, nodes);
    }

    public boolean hasCpu(final int cpu)
    {
        return cpu >= 0 && onlineCpus.get(cpu);
    }

    public boolean hasNode(final int node)
    {
        return node >= 0 && onlineNodes.get(node);
    }

    public String describeCpus()
    {
        return toList(onlineCpus);
    }

    public String describeNodes()
    {
        return toList(onlineNodes);
    }

    /** Parses the kernel's list format, e.g. {@code 0-3,8,10-11}. */
    static BitSet parseList(final String text)
    {
        final BitSet set = new BitSet();
        for (final String part : text.trim().split(","))
        {
            if (part.isBlank())
            {
                continue;
            }
            final int dash = part.indexOf('-');
            if (dash < 0)
            {
                set.set(Integer.parseInt(part.trim()));
            }
            else
            {
                set.set(Integer.parseInt(part.substring(0, dash).trim()), Integer.parseInt(part.substring(dash + 1).trim()) + 1);
            }
        }
        return set;
    }

    private static BitSet readList(final String path)
    {
        try
        {
            return parseList(Files.readString(Path.of(path)));
        }
        catch (final IOException | RuntimeException e)
        {
            return new BitSet();
        }
    }

    private static String toList(final BitSet set)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = set.nextSetBit(0); i >= 0; )
        {
            final int end = set.nextClearBit(i) - 1;
            text.append(text.isEmpty() ? "" : ",").append(i).append(end > i ? "-" + end : "");
            i = set.nextSetBit(end + 1);
        }
        return text.toString();
    }
}
