// An s4 mma, which sm_90 has no tensor-core instruction for: ptxas emulates it with the mma_sub_byte helper. The
// build check must reject a cubin like this one (KernelArtifactsTest).
extern "C" __global__ void sub_byte_probe(int* d, const unsigned* a, const unsigned* b) {
    int c[4] = {0, 0, 0, 0};
    asm volatile("mma.sync.aligned.m16n8k64.row.col.s32.s4.s4.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+r"(c[0]), "+r"(c[1]), "+r"(c[2]), "+r"(c[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
    for (int i = 0; i < 4; i++) d[threadIdx.x * 4 + i] = c[i];
}
