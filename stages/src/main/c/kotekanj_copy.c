/*
 * Placement copies for the kotekan-j receive path: queued packets' runs are copied to their frames with non-temporal
 * (streaming) stores, so the payload bytes go to DRAM once without reading the destination lines into cache, either
 * ahead of the end of the receive batch (kj_copy_ahead) or at it (kj_copy_batch, which ends with the batch's single
 * sfence: a release store in Java does not order streaming stores). Loaded through the FFM API; the Java fallback
 * (MemorySegment.copy) produces identical frames.
 */
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

/*
 * One queued copy, a grid of rows x runs runs of length bytes; the layout is CopyQueueDescriptor in Java (64 bytes).
 * Run i of row r copies from src + (r * runs + i) * src_stride to dst + r * row_stride + i * run_stride.
 */
typedef struct
{
    const uint8_t *src;
    uint8_t *dst;
    int64_t length;
    int64_t src_stride;
    int64_t runs;
    int64_t run_stride;
    int64_t rows;
    int64_t row_stride;
} kj_copy;

__attribute__((target("avx512f"))) static void stream_avx512(const uint8_t *src, uint8_t *dst, int64_t length)
{
    int64_t i = 0;
    for (; i + 256 <= length; i += 256)
    {
        __m512i a = _mm512_loadu_si512((const void *)(src + i));
        __m512i b = _mm512_loadu_si512((const void *)(src + i + 64));
        __m512i c = _mm512_loadu_si512((const void *)(src + i + 128));
        __m512i d = _mm512_loadu_si512((const void *)(src + i + 192));
        _mm512_stream_si512((void *)(dst + i), a);
        _mm512_stream_si512((void *)(dst + i + 64), b);
        _mm512_stream_si512((void *)(dst + i + 128), c);
        _mm512_stream_si512((void *)(dst + i + 192), d);
    }
    for (; i + 64 <= length; i += 64)
    {
        _mm512_stream_si512((void *)(dst + i), _mm512_loadu_si512((const void *)(src + i)));
    }
    for (; i + 16 <= length; i += 16)
    {
        _mm_stream_si128((__m128i *)(dst + i), _mm_loadu_si128((const __m128i *)(src + i)));
    }
    if (i < length)
    {
        memcpy(dst + i, src + i, (size_t)(length - i));
    }
}

__attribute__((target("avx2"))) static void stream_avx2(const uint8_t *src, uint8_t *dst, int64_t length)
{
    int64_t i = 0;
    for (; i + 128 <= length; i += 128)
    {
        __m256i a = _mm256_loadu_si256((const __m256i *)(src + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(src + i + 32));
        __m256i c = _mm256_loadu_si256((const __m256i *)(src + i + 64));
        __m256i d = _mm256_loadu_si256((const __m256i *)(src + i + 96));
        _mm256_stream_si256((__m256i *)(dst + i), a);
        _mm256_stream_si256((__m256i *)(dst + i + 32), b);
        _mm256_stream_si256((__m256i *)(dst + i + 64), c);
        _mm256_stream_si256((__m256i *)(dst + i + 96), d);
    }
    for (; i + 32 <= length; i += 32)
    {
        _mm256_stream_si256((__m256i *)(dst + i), _mm256_loadu_si256((const __m256i *)(src + i)));
    }
    for (; i + 16 <= length; i += 16)
    {
        _mm_stream_si128((__m128i *)(dst + i), _mm_loadu_si128((const __m128i *)(src + i)));
    }
    if (i < length)
    {
        memcpy(dst + i, src + i, (size_t)(length - i));
    }
}

static void stream_sse2(const uint8_t *src, uint8_t *dst, int64_t length)
{
    int64_t i = 0;
    for (; i + 16 <= length; i += 16)
    {
        _mm_stream_si128((__m128i *)(dst + i), _mm_loadu_si128((const __m128i *)(src + i)));
    }
    if (i < length)
    {
        memcpy(dst + i, src + i, (size_t)(length - i));
    }
}

/* The widest streaming store this CPU has, in bits: 512 (AVX-512F), 256 (AVX2) or 128 (SSE2). Chosen once. */
static int vector_bits = 0;

int32_t kj_copy_vector_bits(void)
{
    if (vector_bits == 0)
    {
        __builtin_cpu_init();
        vector_bits = __builtin_cpu_supports("avx512f") ? 512 : __builtin_cpu_supports("avx2") ? 256 : 128;
    }
    return vector_bits;
}

/*
 * Copies one run. A run whose destination is 16-byte aligned and at least 16 bytes long is streamed with the widest
 * stores its alignment and this CPU allow; others are copied normally.
 */
static inline void copy_run(const int bits, const uint8_t *src, uint8_t *dst, const int64_t length)
{
    if (((uintptr_t)dst & 15) == 0 && length >= 16)
    {
        if (bits == 512 && ((uintptr_t)dst & 63) == 0)
        {
            stream_avx512(src, dst, length);
        }
        else if (bits >= 256 && ((uintptr_t)dst & 31) == 0)
        {
            stream_avx2(src, dst, length);
        }
        else
        {
            stream_sse2(src, dst, length);
        }
    }
    else
    {
        memcpy(dst, src, (size_t)length);
    }
}

/* Copies count queued entries, every run of each in order (row by row). */
static void copy_entries(const kj_copy *copies, int32_t count)
{
    const int bits = vector_bits != 0 ? vector_bits : kj_copy_vector_bits();
    for (int32_t n = 0; n < count; n++)
    {
        const kj_copy *c = &copies[n];
        const uint8_t *src = c->src;
        for (int64_t r = 0; r < c->rows; r++)
        {
            uint8_t *dst = c->dst + r * c->row_stride;
            for (int64_t i = 0; i < c->runs; i++)
            {
                copy_run(bits, src, dst, c->length);
                src += c->src_stride;
                dst += c->run_stride;
            }
        }
    }
}

/* Copies count queued entries without the sfence: their stores are ordered by the next kj_copy_batch. */
void kj_copy_ahead(const kj_copy *copies, int32_t count)
{
    copy_entries(copies, count);
}

/*
 * Copies count queued entries (possibly none) and ends with one sfence, which also orders every kj_copy_ahead before
 * it, so the frame is complete before Java publishes it.
 */
void kj_copy_batch(const kj_copy *copies, int32_t count)
{
    copy_entries(copies, count);
    _mm_sfence();
}

/*
 * The C reference for the copy benchmarks: the same copies as a plain C loop, without the queue. Copies packets
 * payloads of payload bytes (src_stride apart) in runs of run bytes to consecutive positions of a ring (a power of
 * two bytes), with the widest streaming stores, one sfence at the end. Returns the next ring position.
 */
int64_t kj_reference_runs(const uint8_t *src, int64_t src_stride, uint8_t *ring, int64_t ring_mask, int64_t position,
    int32_t packets, int32_t payload, int32_t run)
{
    const int bits = vector_bits != 0 ? vector_bits : kj_copy_vector_bits();
    for (int32_t p = 0; p < packets; p++)
    {
        for (int32_t r = 0; r < payload; r += run)
        {
            if (bits == 512)
            {
                stream_avx512(src + p * src_stride + r, ring + position, run);
            }
            else if (bits == 256)
            {
                stream_avx2(src + p * src_stride + r, ring + position, run);
            }
            else
            {
                stream_sse2(src + p * src_stride + r, ring + position, run);
            }
            position = (position + run) & ring_mask;
        }
    }
    _mm_sfence();
    return position;
}
