// Index arithmetic and data transforms of the kotekan-j X-engine kernels (correlator.cu), shared with their CPU
// emulator (emulate_correlator.cpp) so that the emulator checks the very functions the GPU runs. Everything here is
// plain integer C++ that compiles for the host and the device; nothing here touches hardware.
//
// Data flow for one frame of `ntime` samples, `nfreq` frequencies and `ninput_pad` (a multiple of 128) inputs:
//
//   frame  u8 [freq][time][input]            4+4-bit offset binary, hi nibble = re, lo nibble = im, 0x88 = 0
//     | kj_unpack (one pass)
//   x      s8 [freq][tb][input][32]          tb = time block of 16 samples; the 32 bytes of (tb, input) are
//                                            re(t0) im(t0) re(t1) im(t1) ... re(t15) im(t15), two's complement.
//                                            Time blocks past ntime (up to a multiple of KJ_STAGE_TB) are zero.
//     | kj_correlate (int8 mma.sync m16n8k32, upper triangle of 64x64 input tiles)
//   vis    s64 [freq][prod][2]               (re, im) in the visibility spec's product order, accumulated (+=)
//
// The k dimension of the mma is (sample, re|im) of one time block: A row i = x_i as [re, im, re, im, ...],
// B column j = x_j the same way, so A.B = sum ra*rb + ia*ib = Re(x_i conj x_j). The imaginary part uses the
// conjugate-permuted A' row i = [im, -re, im, -re, ...]: A'.B = sum ia*rb - ra*ib = Im(x_i conj x_j).
#pragma once
#include <stdint.h>

#if defined(__CUDACC__)
#define KJ_HD __host__ __device__ __forceinline__
#else
#define KJ_HD static inline
#endif

#define KJ_TB_SAMPLES 16        // samples per time block = one mma k step (32 int8: re, im per sample)
#define KJ_ROW_BYTES 32         // bytes of one (time block, input) row of x
#define KJ_STAGE_TB 4           // time blocks per shared-memory stage (64 samples)
#define KJ_TILE 64              // inputs per block tile side
#define KJ_WARP_TILE 32         // inputs per warp tile side (2 m16 x 4 n8 mma tiles)
#define KJ_THREADS 128          // 4 warps: (wi, wj) = (warp >> 1, warp & 1)
#define KJ_INPUT_ALIGN 128      // ninput_pad must be a multiple of this (the frame spec pads inputs to 128)
#define KJ_STAGE_BYTES (KJ_STAGE_TB * KJ_TILE * KJ_ROW_BYTES)   // one operand's shared stage: 8 KiB
#define KJ_UNPACK_THREADS 128   // unpack: one thread per 4 inputs x one time block
#define KJ_UNPACK_INPUTS (4 * KJ_UNPACK_THREADS)

// Overflow interval of the int32 accumulators. Every sample's contribution to one output element is
// |ra*rb + ia*ib| <= 8*8 + 8*8 = 128 and |ia*rb - ra*ib| <= 128 (|x| <= 8 for 4-bit two's complement), so after
// S samples |acc| <= 128*S, which stays <= INT32_MAX = 2^31 - 1 while S <= 2^24 - 1 = 16,777,215 samples. The kernel
// adds its registers into the int64 output (and restarts from zero) at least every KJ_MAX_FLUSH_STAGES stages of
// 64 samples = 2^23 samples, half that bound; int64 then holds 2^56 such samples: integrations of any length stay exact.
#define KJ_MAX_FLUSH_STAGES 131072
#if defined(__cplusplus) && __cplusplus >= 201103L
static_assert(128LL * KJ_MAX_FLUSH_STAGES * KJ_STAGE_TB * KJ_TB_SAMPLES <= 2147483647LL,
              "int32 accumulators could overflow between flushes");
#endif

// ---- the 4+4-bit -> int8 conversion (unpack) ------------------------------------------------------------------------

// __byte_perm(x, y, s): output byte k is byte (s >> 4k) & 7 of the 8 bytes y:x (x = bytes 0..3, y = bytes 4..7).
KJ_HD uint32_t kj_byte_perm(uint32_t x, uint32_t y, uint32_t s) {
#if defined(__CUDA_ARCH__)
    return __byte_perm(x, y, s);
#else
    uint64_t v = ((uint64_t)y << 32) | x;
    uint32_t r = 0;
    for (int k = 0; k < 4; k++) r |= (uint32_t)((v >> (8 * ((s >> (4 * k)) & 7))) & 0xFF) << (8 * k);
    return r;
#endif
}

// Four 4-bit offset-binary values v (one per byte, 0..15) -> four int8 (v - 8). v ^ 8 is the 4-bit two's complement
// of v - 8; bit 3 is its sign, spread to bits 4..7 by the multiply (8 * 0x1E = 0xF0, no carry between bytes).
KJ_HD uint32_t kj_offset4_to_s8x4(uint32_t nibbles) {
    uint32_t x = nibbles ^ 0x08080808u;
    return x | ((x & 0x08080808u) * 0x1Eu);
}

// Unpacks one word of a frame row (4 consecutive inputs at one sample) into re|im pairs:
// *lo = [re0, im0, re1, im1] (inputs 0, 1), *hi = [re2, im2, re3, im3] (inputs 2, 3).
KJ_HD void kj_unpack_word(uint32_t w, uint32_t* lo, uint32_t* hi) {
    uint32_t re = kj_offset4_to_s8x4((w >> 4) & 0x0F0F0F0Fu);
    uint32_t im = kj_offset4_to_s8x4(w & 0x0F0F0F0Fu);
    *lo = kj_byte_perm(re, im, 0x5140);
    *hi = kj_byte_perm(re, im, 0x7362);
}

// Two samples' pair words of the same 4 inputs -> the x word of input (2 * which + half) for those two samples:
// low half-word = (re, im) of the first sample, high = of the second.
KJ_HD uint32_t kj_pair_samples(uint32_t first, uint32_t second, int upper_input) {
    return kj_byte_perm(first, second, upper_input ? 0x7632 : 0x5410);
}

// x offset (bytes) of row (f, tb, input).
KJ_HD uint64_t kj_x_offset(int f, int tb, int input, int ntb, int ninput_pad) {
    return (((uint64_t)f * ntb + tb) * ninput_pad + input) * KJ_ROW_BYTES;
}

// frame offset (bytes) of (f, t, input).
KJ_HD uint64_t kj_frame_offset(int f, int t, int input, int ntime, int ninput_pad) {
    return ((uint64_t)f * ntime + t) * ninput_pad + input;
}

// Time blocks x holds per frequency for a frame of ntime samples (whole stages; the tail is zero).
KJ_HD int kj_ntb(int ntime) {
    int stage = KJ_STAGE_TB * KJ_TB_SAMPLES;
    return (ntime + stage - 1) / stage * KJ_STAGE_TB;
}

// ---- the conjugate-permuted operand -----------------------------------------------------------------------------------

// Per-byte negation without carries between bytes (SWAR): 0x80 - (a & 0x7F) never borrows, the xor fixes bit 7.
// -(-8) = 8 fits in int8; inputs are never -128.
KJ_HD uint32_t kj_neg_s8x4(uint32_t a) {
    return (0x80808080u - (a & 0x7F7F7F7Fu)) ^ (~a & 0x80808080u);
}

// [re0, im0, re1, im1] -> [im0, -re0, im1, -re1]: A' of the imaginary part (A'.B = sum ia*rb - ra*ib).
KJ_HD uint32_t kj_conj_perm(uint32_t a) {
    return kj_byte_perm(a, kj_neg_s8x4(a), 0x6341);
}

// ---- tiles, shared memory, fragments --------------------------------------------------------------------------------

// Block pair p (0 .. nb(nb+1)/2 - 1) -> tile row bi <= tile column bj, row-major over the upper triangle.
KJ_HD void kj_block_pair(int p, int nb, int* bi, int* bj) {
    int i = 0;
    while (p >= nb - i) { p -= nb - i; i++; }
    *bi = i;
    *bj = i + p;
}

// Chunk q (0..511) of a 16-byte cp.async of one operand stage: time block kb (0..3), tile row (0..63), k half.
// Consecutive q are consecutive 16-byte pieces of x (coalesced).
KJ_HD void kj_stage_chunk(int q, int* kb, int* row, int* half) {
    *kb = q >> 7;
    *row = (q >> 1) & (KJ_TILE - 1);
    *half = q & 1;
}

// Byte offset in a stage of (time block kb, tile row, k half) = 16 bytes. Rows are 32 bytes; rows 4..7 of every 8
// swap their halves so that the 8 rows an ldmatrix phase reads (and a mma fragment's 8 groups) hit 8 distinct
// 4-bank groups: row r, half h starts at bank 8r + 4(h ^ bit 2 of r) mod 32.
KJ_HD int kj_smem_offset(int kb, int row, int half) {
    return kb * (KJ_TILE * KJ_ROW_BYTES) + row * KJ_ROW_BYTES + ((half ^ ((row >> 2) & 1)) << 4);
}

// ldmatrix.sync.aligned.m8n8.x4.b16: lanes 8q..8q+7 give the row addresses of matrix q, and register q of lane l
// receives bytes 4(l % 4)..+3 of row l / 4 of matrix q. For A (16 rows x 32 k) matrix q = (row half q & 1,
// k half q >> 1) yields a0..a3 of m16n8k32; for B two n8 tiles at once: q = (k half q & 1, tile q >> 1) yields
// b0, b1 of tile 0 then b0, b1 of tile 1.
KJ_HD int kj_lda_row(int lane) { return (lane & 7) + ((lane >> 3) & 1) * 8; }
KJ_HD int kj_lda_half(int lane) { return lane >> 4; }
KJ_HD int kj_ldb_row(int lane) { return (lane & 7) + (lane >> 4) * 8; }
KJ_HD int kj_ldb_half(int lane) { return (lane >> 3) & 1; }

// Accumulator element e (0..3) of the m16n8 tile: row g (+8 for e >= 2), column 2t + (e & 1); g = lane / 4, t = lane % 4.
KJ_HD int kj_acc_row(int lane, int e) { return (lane >> 2) + ((e >> 1) << 3); }
KJ_HD int kj_acc_col(int lane, int e) { return ((lane & 3) << 1) + (e & 1); }

// Product index of inputs a <= b (shared/specs/visibilities.md): a*N - a(a-1)/2 + (b - a).
KJ_HD uint64_t kj_prod(int a, int b, int n) {
    return (uint64_t)a * n - (uint64_t)a * (a - 1) / 2 + (uint64_t)(b - a);
}
