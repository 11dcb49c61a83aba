package org.kotekanj.nativeio;

import java.util.BitSet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuTopologyTest
{
    @Test
    void shouldParseAndPrintTheKernelsListFormat()
    {
        final BitSet cpus = CpuTopology.parseList("0-3,8,10-11\n");
        final CpuTopology topology = new CpuTopology(cpus, CpuTopology.parseList("0,2"));
        assertEquals("0-3,8,10-11", topology.describeCpus());
        assertEquals("0,2", topology.describeNodes());
        assertTrue(topology.hasCpu(3));
        assertFalse(topology.hasCpu(4));
        assertFalse(topology.hasCpu(-1));
        assertTrue(topology.hasNode(2));
        assertFalse(topology.hasNode(1));
    }

    @Test
    void shouldReadTheCpusThisProcessMayUse()
    {
        final CpuTopology topology = CpuTopology.read();
        for (final int cpu : Libc.currentThreadAffinity())
        {
            assertTrue(topology.hasCpu(cpu), "cpu " + cpu + " of " + topology.describeCpus());
        }
        assertTrue(topology.hasNode(0));
    }
}
