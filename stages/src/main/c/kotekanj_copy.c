/*
 * Batched placement copies for the kotekan-j receive path: one call per receive batch copies every queued packet
 * run to its frame with non-temporal (streaming) stores, so the payload bytes go to DRAM once without reading the
 * destination lines into cache, and ends with a single sfence (a release store in Java does not order streaming
 * stores). Loaded through the FFM API; the Java fallback (MemorySegment.copy) produces identical frames.
 */
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

/* One queued copy; the layout is CopyQueueDescriptor in Java: src at 0, dst at 8, length at 16, 24 bytes. */
typedef struct
{
    const uint8_t *src;
    uint8_t *dst;
    int64_t length;
} kj_copy;

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

/* 1 if this CPU has AVX2 (the streaming path uses it), else 0 (SSE2 streaming is used). */
static int kj_has_avx2(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? 1 : 0;
}

/*
 * Copies count queued runs. A run whose destination is 16-byte aligned and at least 16 bytes long is streamed;
 * others are copied normally. Ends with one sfence so the frame is complete before Java publishes it.
 */
void kj_copy_batch(const kj_copy *copies, int32_t count)
{
    static int avx2 = -1;
    if (avx2 < 0)
    {
        avx2 = kj_has_avx2();
    }
    for (int32_t n = 0; n < count; n++)
    {
        const kj_copy *c = &copies[n];
        if (((uintptr_t)c->dst & 15) == 0 && c->length >= 16)
        {
            if (avx2 && ((uintptr_t)c->dst & 31) == 0)
            {
                stream_avx2(c->src, c->dst, c->length);
            }
            else
            {
                stream_sse2(c->src, c->dst, c->length);
            }
        }
        else
        {
            memcpy(c->dst, c->src, (size_t)c->length);
        }
    }
    _mm_sfence();
}
