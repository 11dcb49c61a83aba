// kotekan-j X-engine kernels: unpack (4+4-bit offset binary -> int8, transposed to the tensor-core layout) and
// correlate (int8 mma.sync m16n8k32 over the upper triangle of 64x64 input tiles, int32 registers flushed to int64).
// Layouts, index arithmetic and the overflow interval: kj_layout.cuh (shared with the CPU emulator that checks it).
// Built by build-kernels.sh into PTX (compute_80, compute_90) and a fatbin (sm_80, sm_89, sm_90 + compute_90 PTX).
#include "kj_layout.cuh"

// ---- the hardware operations: the only code the emulator re-implements (from the PTX ISA) ------------------------

__device__ __forceinline__ uint32_t kj_smem_addr(const void* p) {
    return (uint32_t)__cvta_generic_to_shared(p);
}

__device__ __forceinline__ void kj_cp_async16(uint32_t smem, const void* gmem) {
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(smem), "l"(gmem));
}

__device__ __forceinline__ void kj_cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }

template <int N>
__device__ __forceinline__ void kj_cp_async_wait() { asm volatile("cp.async.wait_group %0;\n" ::"n"(N)); }

__device__ __forceinline__ void kj_ldmatrix_x4(uint32_t smem, uint32_t* r) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(smem));
}

// d += a . b for one m16n8k32 tile, int8 x int8 -> int32.
__device__ __forceinline__ void kj_mma(int* d, const uint32_t* a, const uint32_t* b) {
    asm volatile("mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
                 "{%0, %1, %2, %3};\n"
                 : "+r"(d[0]), "+r"(d[1]), "+r"(d[2]), "+r"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
}

// ---- unpack ---------------------------------------------------------------------------------------------------------

// grid (ninput_pad / 512, ntb, nfreq), block 128: thread = 4 consecutive inputs x one time block of 16 samples.
// Unpacks samples [first_time, first_time + ntime) of a frame of frame_ntime samples per frequency. Reads 16 words of
// the frame (coalesced across the warp), writes the 4 inputs' 32-byte rows of x. Samples at or past ntime read as
// 0x88 (zero), so the stage tail of x is zero.
extern "C" __global__ void __launch_bounds__(KJ_UNPACK_THREADS)
kj_unpack(const uint8_t* __restrict__ frame, uint8_t* __restrict__ x, int frame_ntime, int first_time, int ntime,
          int ninput_pad, int ntb) {
    const int n0 = (blockIdx.x * KJ_UNPACK_THREADS + threadIdx.x) * 4;
    const int tb = blockIdx.y;
    const int f = blockIdx.z;
    if (n0 >= ninput_pad) return;
    uint32_t lo[KJ_TB_SAMPLES], hi[KJ_TB_SAMPLES];
#pragma unroll
    for (int s = 0; s < KJ_TB_SAMPLES; s++) {
        const int t = tb * KJ_TB_SAMPLES + s;
        const uint32_t w = t < ntime
            ? __ldg(reinterpret_cast<const uint32_t*>(
                  frame + kj_frame_offset(f, first_time + t, n0, frame_ntime, ninput_pad)))
            : 0x88888888u;
        kj_unpack_word(w, &lo[s], &hi[s]);
    }
#pragma unroll
    for (int j = 0; j < 4; j++) {
        const uint32_t* src = j < 2 ? lo : hi;
        uint32_t row[8];
#pragma unroll
        for (int p = 0; p < 8; p++) row[p] = kj_pair_samples(src[2 * p], src[2 * p + 1], j & 1);
        uint4* dst = reinterpret_cast<uint4*>(x + kj_x_offset(f, tb, n0 + j, ntb, ninput_pad));
        dst[0] = make_uint4(row[0], row[1], row[2], row[3]);
        dst[1] = make_uint4(row[4], row[5], row[6], row[7]);
    }
}

// ---- correlate ------------------------------------------------------------------------------------------------------

// Issues the 16-byte copies of one operand's stage (4 time blocks x 64 rows x 32 bytes) into shared memory.
__device__ __forceinline__ void kj_load_stage(uint8_t* smem, const uint8_t* x, int f, int tb0, int base, int ntb,
                                              int ninput_pad) {
#pragma unroll
    for (int s = 0; s < KJ_STAGE_BYTES / 16 / KJ_THREADS; s++) {
        int kb, row, half;
        kj_stage_chunk(threadIdx.x + s * KJ_THREADS, &kb, &row, &half);
        kj_cp_async16(kj_smem_addr(smem + kj_smem_offset(kb, row, half)),
                      x + kj_x_offset(f, tb0 + kb, base + row, ntb, ninput_pad) + half * 16);
    }
}

// Adds the warp's int32 accumulators into vis (int64) for the products a <= b < ninput, and zeroes them. Each block
// owns its tile of vis, launches on one stream run in order: plain read-modify-write, no atomics.
__device__ __forceinline__ void kj_flush(int (*re)[4][4], int (*im)[4][4], long long* __restrict__ vis, int f,
                                         int row0, int col0, int ninput, int lane) {
    const uint64_t nprod = (uint64_t)ninput * (ninput + 1) / 2;
#pragma unroll
    for (int mt = 0; mt < 2; mt++)
#pragma unroll
        for (int nt = 0; nt < 4; nt++)
#pragma unroll
            for (int e = 0; e < 4; e++) {
                const int a = row0 + mt * 16 + kj_acc_row(lane, e);
                const int b = col0 + nt * 8 + kj_acc_col(lane, e);
                if (a <= b && b < ninput) {
                    long long* v = vis + 2 * ((uint64_t)f * nprod + kj_prod(a, b, ninput));
                    v[0] += re[mt][nt][e];
                    v[1] += im[mt][nt][e];
                }
                re[mt][nt][e] = 0;
                im[mt][nt][e] = 0;
            }
}

// grid (nb(nb+1)/2, nfreq) with nb = ninput_pad / 64, block 128 (4 warps of 32x32 inputs). x as written by
// kj_unpack for ntb time blocks (a multiple of KJ_STAGE_TB); vis += this frame's products. flush_stages (1 ..
// KJ_MAX_FLUSH_STAGES) bounds the stages between int64 flushes (tests lower it to exercise the flush).
extern "C" __global__ void __launch_bounds__(KJ_THREADS)
kj_correlate(const uint8_t* __restrict__ x, long long* __restrict__ vis, int ninput, int ninput_pad, int ntb,
             int flush_stages) {
    __shared__ __align__(128) uint8_t smem_a[2][KJ_STAGE_BYTES];
    __shared__ __align__(128) uint8_t smem_b[2][KJ_STAGE_BYTES];

    const int f = blockIdx.y;
    int bi, bj;
    kj_block_pair(blockIdx.x, ninput_pad / KJ_TILE, &bi, &bj);
    const bool diagonal = bi == bj;   // A and B are the same inputs: load them once
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int wrow = (warp >> 1) * KJ_WARP_TILE;   // warp tile within the block tile
    const int wcol = (warp & 1) * KJ_WARP_TILE;
    const int nstages = ntb / KJ_STAGE_TB;
    if (nstages == 0) return;

    int re[2][4][4], im[2][4][4];
#pragma unroll
    for (int mt = 0; mt < 2; mt++)
#pragma unroll
        for (int nt = 0; nt < 4; nt++)
#pragma unroll
            for (int e = 0; e < 4; e++) re[mt][nt][e] = im[mt][nt][e] = 0;

    kj_load_stage(smem_a[0], x, f, 0, bi * KJ_TILE, ntb, ninput_pad);
    if (!diagonal) kj_load_stage(smem_b[0], x, f, 0, bj * KJ_TILE, ntb, ninput_pad);
    kj_cp_async_commit();

    int since_flush = 0;
    for (int s = 0; s < nstages; s++) {
        const int buf = s & 1;
        if (s + 1 < nstages) {   // prefetch the next stage into the other buffer (freed by the last __syncthreads)
            kj_load_stage(smem_a[buf ^ 1], x, f, (s + 1) * KJ_STAGE_TB, bi * KJ_TILE, ntb, ninput_pad);
            if (!diagonal) kj_load_stage(smem_b[buf ^ 1], x, f, (s + 1) * KJ_STAGE_TB, bj * KJ_TILE, ntb, ninput_pad);
            kj_cp_async_commit();
            kj_cp_async_wait<1>();
        } else {
            kj_cp_async_wait<0>();
        }
        __syncthreads();

        const uint8_t* sa = smem_a[buf];
        const uint8_t* sb = diagonal ? smem_a[buf] : smem_b[buf];
#pragma unroll
        for (int kb = 0; kb < KJ_STAGE_TB; kb++) {
            uint32_t a[2][4], ap[2][4], b[4][2];
#pragma unroll
            for (int mt = 0; mt < 2; mt++) {
                kj_ldmatrix_x4(kj_smem_addr(sa + kj_smem_offset(kb, wrow + mt * 16 + kj_lda_row(lane),
                                                                kj_lda_half(lane))), a[mt]);
#pragma unroll
                for (int r = 0; r < 4; r++) ap[mt][r] = kj_conj_perm(a[mt][r]);
            }
#pragma unroll
            for (int np = 0; np < 2; np++) {
                uint32_t r[4];
                kj_ldmatrix_x4(kj_smem_addr(sb + kj_smem_offset(kb, wcol + np * 16 + kj_ldb_row(lane),
                                                                kj_ldb_half(lane))), r);
                b[2 * np][0] = r[0];
                b[2 * np][1] = r[1];
                b[2 * np + 1][0] = r[2];
                b[2 * np + 1][1] = r[3];
            }
#pragma unroll
            for (int mt = 0; mt < 2; mt++)
#pragma unroll
                for (int nt = 0; nt < 4; nt++) {
                    kj_mma(re[mt][nt], a[mt], b[nt]);
                    kj_mma(im[mt][nt], ap[mt], b[nt]);
                }
        }
        __syncthreads();   // every warp is done with buf before the next iteration's prefetch overwrites it

        if (++since_flush == flush_stages && s + 1 < nstages) {
            kj_flush(re, im, vis, f, bi * KJ_TILE + wrow, bj * KJ_TILE + wcol, ninput, lane);
            since_flush = 0;
        }
    }
    kj_flush(re, im, vis, f, bi * KJ_TILE + wrow, bj * KJ_TILE + wcol, ninput, lane);
}
