/*
 * The native CPU X-engine of kotekan-j: integer-exact visibilities sum_t x_a * conj(x_b) over the upper triangle,
 * added to int64 sums in the product order of shared/specs/visibilities.md. Loaded through the FFM API by
 * NativeCorrelationKernel; the Vector API kernel (VectorCorrelationKernel) computes identical sums without it.
 *
 * Samples are 4+4-bit offset-binary bytes: hi nibble = re + 8, lo nibble = im + 8, so x in [-8, 7].
 * vpdpbusd multiplies unsigned by signed bytes and adds groups of four into int32 lanes. The unsigned side is the
 * raw nibble u = x + 8 of input a (broadcast), the signed side is input b (one lane per b), with two time samples
 * per dword:
 *   A[a]    = [ua_re(t0), ua_im(t0), ua_re(t1), ua_im(t1)]            (unsigned, 0..15)
 *   Bre[b]  = [ rb(t0),  ib(t0),  rb(t1),  ib(t1)]                    (signed, -8..7)
 *   Bim[b]  = [-ib(t0),  rb(t0), -ib(t1),  rb(t1)]                    (signed, -7..8)
 *   dot(A, Bre) = sum (ra+8) rb + (ia+8) ib = re + 8 sum (rb + ib)
 *   dot(A, Bim) = sum (ia+8) rb - (ra+8) ib = im + 8 sum (rb - ib)
 * so re and im are the dot products minus a correction that depends only on b, computed once per chunk.
 *
 * Overflow bound: one dword contributes at most 4 * 15 * 8 = 480 in magnitude; a chunk of CHUNK = 512 samples (256
 * dwords) reaches at most 256 * 480 = 122,880, far inside int32, and each chunk is flushed into the int64 sums.
 *
 * Register tiling: a tile is 6 inputs a (rows) x 32 inputs b (two zmm of 16 lanes), re and im: 24 accumulators,
 * 4 B loads per dword; A comes in as an embedded broadcast. Only tiles touching the upper triangle are computed;
 * the flush masks b < a and b >= N. The AVX2 path (no VNNI) does the same with vpmaddubsw + vpmaddwd (pairs summed
 * to int16 first: at most 2 * 15 * 8 = 240, no saturation) on 2 x 16 sub-tiles.
 */
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#define ROWS 6
#define LANES 32
#define CHUNK 512
#define PAIRS (CHUNK / 2)

enum { ISA_NONE = 0, ISA_AVX2 = 1, ISA_AVX512_VNNI = 2 };

static int forced_isa = -1;

/* The best path this CPU supports: 2 AVX-512 VNNI, 1 AVX2, 0 none (use the Java kernel). */
int kj_corr_best_isa(void)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vnni"))
    {
        return ISA_AVX512_VNNI;
    }
    if (__builtin_cpu_supports("avx2"))
    {
        return ISA_AVX2;
    }
    return ISA_NONE;
}

/* Chooses a path (tests compare them); an ISA the CPU lacks falls back to the best it has. Returns the one in use. */
int kj_corr_use_isa(int isa)
{
    const int best = kj_corr_best_isa();
    forced_isa = isa < 0 || isa > best ? best : isa;
    return forced_isa;
}

static int isa_in_use(void)
{
    if (forced_isa < 0)
    {
        forced_isa = kj_corr_best_isa();
    }
    return forced_isa;
}

static inline int64_t round_up(int64_t value, int64_t to)
{
    return (value + to - 1) / to * to;
}

/* Bytes of scratch kj_corr_accumulate needs for n inputs (one per calling thread). */
int64_t kj_corr_scratch_bytes(int32_t n)
{
    const int64_t a_blocks = round_up(n, ROWS) / ROWS;
    const int64_t b_blocks = round_up(n, LANES) / LANES;
    return a_blocks * PAIRS * ROWS * 4 + 2 * b_blocks * PAIRS * LANES * 4 + 2 * b_blocks * LANES * 4 + 64;
}

typedef struct
{
    uint32_t *a;      /* [a_block][pair][ROWS] */
    int8_t *bre;      /* [b_block][pair][LANES][4] */
    int8_t *bim;
    int32_t *corr_re; /* [b_blocks * LANES] */
    int32_t *corr_im;
} packed;

static packed layout(uint8_t *scratch, int32_t n)
{
    const int64_t a_blocks = round_up(n, ROWS) / ROWS;
    const int64_t b_blocks = round_up(n, LANES) / LANES;
    uint8_t *base = (uint8_t *)round_up((int64_t)(uintptr_t)scratch, 64);
    packed p;
    p.bre = (int8_t *)base;
    p.bim = p.bre + b_blocks * PAIRS * LANES * 4;
    p.a = (uint32_t *)(p.bim + b_blocks * PAIRS * LANES * 4);
    p.corr_re = (int32_t *)(p.a + a_blocks * PAIRS * ROWS);
    p.corr_im = p.corr_re + b_blocks * LANES;
    return p;
}

/* Packs nt (<= CHUNK) samples; rows of stride bytes, n real inputs. An odd last sample is padded with zero. */
static void pack(const uint8_t *samples, int64_t stride, int32_t n, int32_t nt, const packed *p)
{
    const int32_t a_rows = (int32_t)round_up(n, ROWS);
    const int32_t b_lanes = (int32_t)round_up(n, LANES);
    const int32_t pairs = (nt + 1) / 2;
    memset(p->corr_re, 0, (size_t)b_lanes * 4);
    memset(p->corr_im, 0, (size_t)b_lanes * 4);
    for (int32_t tp = 0; tp < pairs; tp++)
    {
        const uint8_t *s0 = samples + (int64_t)(2 * tp) * stride;
        const uint8_t *s1 = 2 * tp + 1 < nt ? s0 + stride : NULL;
        for (int32_t i = 0; i < a_rows; i++)
        {
            uint32_t word = 0x08080808u;
            int8_t re0 = 0, im0 = 0, re1 = 0, im1 = 0;
            if (i < n)
            {
                const uint8_t v0 = s0[i];
                const uint8_t v1 = s1 != NULL ? s1[i] : 0x88;
                word = (uint32_t)(v0 >> 4) | (uint32_t)(v0 & 15) << 8 | (uint32_t)(v1 >> 4) << 16 |
                    (uint32_t)(v1 & 15) << 24;
                re0 = (int8_t)((v0 >> 4) - 8);
                im0 = (int8_t)((v0 & 15) - 8);
                re1 = (int8_t)((v1 >> 4) - 8);
                im1 = (int8_t)((v1 & 15) - 8);
            }
            p->a[((int64_t)(i / ROWS) * PAIRS + tp) * ROWS + i % ROWS] = word;
            if (i < b_lanes)
            {
                const int64_t at = (((int64_t)(i / LANES) * PAIRS + tp) * LANES + i % LANES) * 4;
                p->bre[at] = re0;
                p->bre[at + 1] = im0;
                p->bre[at + 2] = re1;
                p->bre[at + 3] = im1;
                p->bim[at] = (int8_t)-im0;
                p->bim[at + 1] = re0;
                p->bim[at + 2] = (int8_t)-im1;
                p->bim[at + 3] = re1;
                p->corr_re[i] += 8 * (re0 + im0 + re1 + im1);
                p->corr_im[i] += 8 * (re0 - im0 + re1 - im1);
            }
        }
        for (int32_t i = a_rows; i < b_lanes; i++)
        {
            const int64_t at = (((int64_t)(i / LANES) * PAIRS + tp) * LANES + i % LANES) * 4;
            memset(p->bre + at, 0, 4);
            memset(p->bim + at, 0, 4);
        }
    }
}

static inline int64_t row_start(int64_t a, int64_t n)
{
    return a * n - a * (a - 1) / 2;
}

/* Adds one row of a tile (lanes b0..b0+width) to the int64 sums, keeping a <= b < n only. */
static void flush_row_scalar(const int32_t *re, const int32_t *im, const packed *p, int32_t a, int32_t b0,
    int32_t width, int32_t n, int64_t *out)
{
    const int64_t base = row_start(a, n) - a;
    for (int32_t l = 0; l < width; l++)
    {
        const int32_t b = b0 + l;
        if (b >= a && b < n)
        {
            out[2 * (base + b)] += re[l] - p->corr_re[b];
            out[2 * (base + b) + 1] += im[l] - p->corr_im[b];
        }
    }
}

__attribute__((target("avx512f,avx512bw,avx512vnni"))) static void flush_16(__m512i re, __m512i im,
    const packed *p, int32_t a, int32_t b0, int32_t n, int64_t *out)
{
    int32_t lo = a > b0 ? a - b0 : 0;
    int32_t hi = n - b0 < 16 ? n - b0 : 16;
    if (hi <= lo)
    {
        return;
    }
    re = _mm512_sub_epi32(re, _mm512_loadu_si512((const void *)(p->corr_re + b0)));
    im = _mm512_sub_epi32(im, _mm512_loadu_si512((const void *)(p->corr_im + b0)));
    const uint32_t lanes = (uint32_t)((1u << hi) - 1) & ~(uint32_t)((1u << lo) - 1);
    int64_t *dst = out + 2 * (row_start(a, n) - a + b0);
    const __m512i first = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0);
    const __m512i second = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
    for (int half = 0; half < 2; half++)
    {
        const __m512i re64 = _mm512_cvtepi32_epi64(half == 0 ? _mm512_castsi512_si256(re) :
            _mm512_extracti64x4_epi64(re, 1));
        const __m512i im64 = _mm512_cvtepi32_epi64(half == 0 ? _mm512_castsi512_si256(im) :
            _mm512_extracti64x4_epi64(im, 1));
        for (int q = 0; q < 2; q++)
        {
            const uint32_t four = (lanes >> (8 * half + 4 * q)) & 15u;
            if (four == 0)
            {
                continue;
            }
            /* each lane is a (re, im) pair of int64: two mask bits per lane */
            __mmask8 mask = 0;
            for (int l = 0; l < 4; l++)
            {
                if (four & (1u << l))
                {
                    mask |= (__mmask8)(3u << (2 * l));
                }
            }
            const __m512i pairs = _mm512_permutex2var_epi64(re64, q == 0 ? first : second, im64);
            int64_t *at = dst + 16 * half + 8 * q;
            const __m512i old = _mm512_maskz_loadu_epi64(mask, at);
            _mm512_mask_storeu_epi64(at, mask, _mm512_add_epi64(old, pairs));
        }
    }
}

__attribute__((target("avx512f,avx512bw,avx512vnni"))) static void tile_vnni(const packed *p, int32_t ab,
    int32_t bb, int32_t pairs, int32_t n, int64_t *out)
{
    __m512i r00 = _mm512_setzero_si512(), r01 = r00, r10 = r00, r11 = r00, r20 = r00, r21 = r00;
    __m512i r30 = r00, r31 = r00, r40 = r00, r41 = r00, r50 = r00, r51 = r00;
    __m512i i00 = r00, i01 = r00, i10 = r00, i11 = r00, i20 = r00, i21 = r00;
    __m512i i30 = r00, i31 = r00, i40 = r00, i41 = r00, i50 = r00, i51 = r00;
    const uint32_t *a = p->a + (int64_t)ab * PAIRS * ROWS;
    const int8_t *bre = p->bre + (int64_t)bb * PAIRS * LANES * 4;
    const int8_t *bim = p->bim + (int64_t)bb * PAIRS * LANES * 4;
    for (int32_t tp = 0; tp < pairs; tp++)
    {
        const __m512i re0 = _mm512_load_si512((const void *)(bre + tp * LANES * 4));
        const __m512i re1 = _mm512_load_si512((const void *)(bre + tp * LANES * 4 + 64));
        const __m512i im0 = _mm512_load_si512((const void *)(bim + tp * LANES * 4));
        const __m512i im1 = _mm512_load_si512((const void *)(bim + tp * LANES * 4 + 64));
        const uint32_t *at = a + tp * ROWS;
        __m512i x;
#define ROW(k, rr0, rr1, ii0, ii1) \
        x = _mm512_set1_epi32((int)at[k]); \
        rr0 = _mm512_dpbusd_epi32(rr0, x, re0); rr1 = _mm512_dpbusd_epi32(rr1, x, re1); \
        ii0 = _mm512_dpbusd_epi32(ii0, x, im0); ii1 = _mm512_dpbusd_epi32(ii1, x, im1);
        ROW(0, r00, r01, i00, i01)
        ROW(1, r10, r11, i10, i11)
        ROW(2, r20, r21, i20, i21)
        ROW(3, r30, r31, i30, i31)
        ROW(4, r40, r41, i40, i41)
        ROW(5, r50, r51, i50, i51)
#undef ROW
    }
    const int32_t a0 = ab * ROWS;
    const int32_t b0 = bb * LANES;
#define FLUSH(k, rr0, rr1, ii0, ii1) \
    if (a0 + k < n) { flush_16(rr0, ii0, p, a0 + k, b0, n, out); flush_16(rr1, ii1, p, a0 + k, b0 + 16, n, out); }
    FLUSH(0, r00, r01, i00, i01)
    FLUSH(1, r10, r11, i10, i11)
    FLUSH(2, r20, r21, i20, i21)
    FLUSH(3, r30, r31, i30, i31)
    FLUSH(4, r40, r41, i40, i41)
    FLUSH(5, r50, r51, i50, i51)
#undef FLUSH
}

/* AVX2: dot4(u8 x s8) = vpmaddwd(vpmaddubsw(u, s), 1); two rows x 16 lanes at a time. */
__attribute__((target("avx2"))) static inline __m256i dot4_avx2(__m256i acc, __m256i u, __m256i s, __m256i ones)
{
    return _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), ones));
}

__attribute__((target("avx2"))) static void tile_avx2(const packed *p, int32_t ab, int32_t bb, int32_t pairs,
    int32_t n, int64_t *out)
{
    const __m256i ones = _mm256_set1_epi16(1);
    const uint32_t *a = p->a + (int64_t)ab * PAIRS * ROWS;
    const int8_t *bre = p->bre + (int64_t)bb * PAIRS * LANES * 4;
    const int8_t *bim = p->bim + (int64_t)bb * PAIRS * LANES * 4;
    int32_t re[16], im[16];
    for (int32_t row = 0; row < ROWS; row += 2)
    {
        for (int32_t half = 0; half < 2; half++)
        {
            __m256i r00 = _mm256_setzero_si256(), r01 = r00, r10 = r00, r11 = r00;
            __m256i i00 = r00, i01 = r00, i10 = r00, i11 = r00;
            for (int32_t tp = 0; tp < pairs; tp++)
            {
                const int8_t *b = bre + tp * LANES * 4 + half * 64;
                const int8_t *c = bim + tp * LANES * 4 + half * 64;
                const __m256i re0 = _mm256_load_si256((const __m256i *)b);
                const __m256i re1 = _mm256_load_si256((const __m256i *)(b + 32));
                const __m256i im0 = _mm256_load_si256((const __m256i *)c);
                const __m256i im1 = _mm256_load_si256((const __m256i *)(c + 32));
                const __m256i x0 = _mm256_set1_epi32((int)a[tp * ROWS + row]);
                const __m256i x1 = _mm256_set1_epi32((int)a[tp * ROWS + row + 1]);
                r00 = dot4_avx2(r00, x0, re0, ones);
                r01 = dot4_avx2(r01, x0, re1, ones);
                i00 = dot4_avx2(i00, x0, im0, ones);
                i01 = dot4_avx2(i01, x0, im1, ones);
                r10 = dot4_avx2(r10, x1, re0, ones);
                r11 = dot4_avx2(r11, x1, re1, ones);
                i10 = dot4_avx2(i10, x1, im0, ones);
                i11 = dot4_avx2(i11, x1, im1, ones);
            }
            const int32_t a0 = ab * ROWS + row;
            const int32_t b0 = bb * LANES + 16 * half;
            if (a0 < n)
            {
                _mm256_storeu_si256((__m256i *)re, r00);
                _mm256_storeu_si256((__m256i *)(re + 8), r01);
                _mm256_storeu_si256((__m256i *)im, i00);
                _mm256_storeu_si256((__m256i *)(im + 8), i01);
                flush_row_scalar(re, im, p, a0, b0, 16, n, out);
            }
            if (a0 + 1 < n)
            {
                _mm256_storeu_si256((__m256i *)re, r10);
                _mm256_storeu_si256((__m256i *)(re + 8), r11);
                _mm256_storeu_si256((__m256i *)im, i10);
                _mm256_storeu_si256((__m256i *)(im + 8), i11);
                flush_row_scalar(re, im, p, a0 + 1, b0, 16, n, out);
            }
        }
    }
}

/*
 * Adds samples [0, nt) of one frequency to out (int64 [N(N+1)/2][re, im]).
 *   samples: the first sample's row (stride bytes per time sample), n real inputs.
 *   scratch: kj_corr_scratch_bytes(n) bytes, one per thread.
 *   Row blocks of 6 inputs a are split among threads: this call does blocks first, first + step, ...
 * Returns the ISA used, or -1 if no native path exists on this CPU (nothing was added).
 */
int kj_corr_accumulate(const uint8_t *samples, int64_t stride, int32_t n, int32_t nt, uint8_t *scratch,
    int64_t *out, int32_t first, int32_t step)
{
    const int isa = isa_in_use();
    if (isa == ISA_NONE)
    {
        return -1;
    }
    const packed p = layout(scratch, n);
    const int32_t a_blocks = (int32_t)(round_up(n, ROWS) / ROWS);
    const int32_t b_blocks = (int32_t)(round_up(n, LANES) / LANES);
    for (int32_t t0 = 0; t0 < nt; t0 += CHUNK)
    {
        const int32_t count = nt - t0 < CHUNK ? nt - t0 : CHUNK;
        pack(samples + (int64_t)t0 * stride, stride, n, count, &p);
        const int32_t pairs = (count + 1) / 2;
        for (int32_t ab = first; ab < a_blocks; ab += step)
        {
            /* the first b block holding a b >= a0 */
            for (int32_t bb = ab * ROWS / LANES; bb < b_blocks; bb++)
            {
                if (isa == ISA_AVX512_VNNI)
                {
                    tile_vnni(&p, ab, bb, pairs, n, out);
                }
                else
                {
                    tile_avx2(&p, ab, bb, pairs, n, out);
                }
            }
        }
    }
    return isa;
}
