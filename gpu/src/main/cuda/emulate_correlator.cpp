// CPU emulator of correlator.cu: runs the kernels' data movement with the index arithmetic of kj_layout.cuh (the same
// functions the GPU runs) on an emulated shared memory, warp by warp, lane by lane, with ldmatrix and mma.sync
// re-implemented from the PTX ISA's definitions (fragment layouts written out independently below), and compares the
// result with a scalar correlator written from the visibility spec. It checks the layout logic where no GPU exists;
// it cannot check timing, cp.async ordering or anything the hardware adds.
//
//   emulate_correlator --self-test                       built-in patterns, prints one line per case, exit 1 on a mismatch
//   emulate_correlator FRAME VIS nfreq ntime ninput ninput_pad flush_stages ranges
//                                                        FRAME: u8 [freq][time][input_pad]; writes VIS: s64 LE
//                                                        [freq][prod][2] as the kernels would (for the Java tests),
//                                                        the frame's time split into `ranges` accumulate calls
#include "kj_layout.cuh"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

// ---- hardware semantics (PTX ISA), independent of kj_layout.cuh ----------------------------------------------------

int8_t byte_of(uint32_t w, int j) { return (int8_t)((w >> (8 * j)) & 0xFF); }

// mma.m16n8k32 .s8: g = lane >> 2, t = lane % 4.
// A reg r byte j: row g + 8 * (r & 1), k 4t + j + 16 * (r >> 1).  B reg r byte j: k 4t + j + 16r, col g.
// C/D reg e: row g + 8 * (e >> 1), col 2t + (e & 1).
void mma(int (*d)[4], uint32_t (*a)[4], uint32_t (*b)[2]) {
    int A[16][32], B[32][8];
    for (int l = 0; l < 32; l++) {
        int g = l >> 2, t = l & 3;
        for (int r = 0; r < 4; r++)
            for (int j = 0; j < 4; j++) A[g + 8 * (r & 1)][4 * t + j + 16 * (r >> 1)] = byte_of(a[l][r], j);
        for (int r = 0; r < 2; r++)
            for (int j = 0; j < 4; j++) B[4 * t + j + 16 * r][g] = byte_of(b[l][r], j);
    }
    for (int l = 0; l < 32; l++) {
        int g = l >> 2, t = l & 3;
        for (int e = 0; e < 4; e++) {
            int row = g + 8 * (e >> 1), col = 2 * t + (e & 1);
            long long sum = d[l][e];
            for (int k = 0; k < 32; k++) sum += A[row][k] * B[k][col];
            if (sum > INT32_MAX || sum < INT32_MIN) { fprintf(stderr, "int32 accumulator overflow\n"); exit(2); }
            d[l][e] = (int)sum;
        }
    }
}

// ldmatrix.m8n8.x4.b16: lane 8q + r gives the address of row r of matrix q; register q of lane l gets the 4 bytes
// at address(8q + l / 4) + 4 (l % 4). Also checks alignment and that each matrix's 8 rows hit 32 distinct banks.
void ldmatrix_x4(const uint8_t* smem, const int* addr, uint32_t (*r)[4], long* conflicts) {
    for (int q = 0; q < 4; q++) {
        bool bank[32] = {false};
        for (int row = 0; row < 8; row++) {
            int a = addr[8 * q + row];
            if (a % 16 != 0) { fprintf(stderr, "ldmatrix row address %d not 16-byte aligned\n", a); exit(2); }
            for (int w = 0; w < 4; w++) {
                int bk = (a / 4 + w) % 32;
                if (bank[bk]) (*conflicts)++;
                bank[bk] = true;
            }
        }
        for (int l = 0; l < 32; l++) {
            uint32_t v;
            memcpy(&v, smem + addr[8 * q + l / 4] + 4 * (l % 4), 4);
            r[l][q] = v;
        }
    }
}

// ---- the kernels, transcribed loop for loop from correlator.cu ------------------------------------------------------

void unpack(const uint8_t* frame, uint8_t* x, int nfreq, int frame_ntime, int first_time, int ntime, int ninput_pad,
            int ntb) {
    for (int f = 0; f < nfreq; f++)
        for (int tb = 0; tb < ntb; tb++)
            for (int n0 = 0; n0 < ninput_pad; n0 += 4) {
                uint32_t lo[KJ_TB_SAMPLES], hi[KJ_TB_SAMPLES];
                for (int s = 0; s < KJ_TB_SAMPLES; s++) {
                    int t = tb * KJ_TB_SAMPLES + s;
                    uint32_t w = 0x88888888u;
                    if (t < ntime) memcpy(&w, frame + kj_frame_offset(f, first_time + t, n0, frame_ntime, ninput_pad), 4);
                    kj_unpack_word(w, &lo[s], &hi[s]);
                }
                for (int j = 0; j < 4; j++) {
                    const uint32_t* src = j < 2 ? lo : hi;
                    uint32_t row[8];
                    for (int p = 0; p < 8; p++) row[p] = kj_pair_samples(src[2 * p], src[2 * p + 1], j & 1);
                    memcpy(x + kj_x_offset(f, tb, n0 + j, ntb, ninput_pad), row, 32);
                }
            }
}

void load_stage(uint8_t* smem, const uint8_t* x, int f, int tb0, int base, int ntb, int ninput_pad) {
    for (int tid = 0; tid < KJ_THREADS; tid++)
        for (int s = 0; s < KJ_STAGE_BYTES / 16 / KJ_THREADS; s++) {
            int kb, row, half;
            kj_stage_chunk(tid + s * KJ_THREADS, &kb, &row, &half);
            memcpy(smem + kj_smem_offset(kb, row, half), x + kj_x_offset(f, tb0 + kb, base + row, ntb, ninput_pad) + half * 16,
                   16);
        }
}

struct Warp {
    int re[2][4][32][4];   // [mt][nt][lane][e]
    int im[2][4][32][4];
};

void flush(Warp& w, long long* vis, int f, int row0, int col0, int ninput) {
    const uint64_t nprod = (uint64_t)ninput * (ninput + 1) / 2;
    for (int lane = 0; lane < 32; lane++)
        for (int mt = 0; mt < 2; mt++)
            for (int nt = 0; nt < 4; nt++)
                for (int e = 0; e < 4; e++) {
                    int a = row0 + mt * 16 + kj_acc_row(lane, e);
                    int b = col0 + nt * 8 + kj_acc_col(lane, e);
                    if (a <= b && b < ninput) {
                        long long* v = vis + 2 * ((uint64_t)f * nprod + kj_prod(a, b, ninput));
                        v[0] += w.re[mt][nt][lane][e];
                        v[1] += w.im[mt][nt][lane][e];
                    }
                    w.re[mt][nt][lane][e] = 0;
                    w.im[mt][nt][lane][e] = 0;
                }
}

long correlate(const uint8_t* x, long long* vis, int nfreq, int ninput, int ninput_pad, int ntb, int flush_stages) {
    long conflicts = 0;
    const int nb = ninput_pad / KJ_TILE;
    static uint8_t smem_a[KJ_STAGE_BYTES], smem_b[KJ_STAGE_BYTES];
    static Warp warps[4];
    for (int f = 0; f < nfreq; f++)
        for (int p = 0; p < nb * (nb + 1) / 2; p++) {
            int bi, bj;
            kj_block_pair(p, nb, &bi, &bj);
            const bool diagonal = bi == bj;
            const int nstages = ntb / KJ_STAGE_TB;
            memset(warps, 0, sizeof warps);
            int since_flush = 0;
            for (int s = 0; s < nstages; s++) {
                load_stage(smem_a, x, f, s * KJ_STAGE_TB, bi * KJ_TILE, ntb, ninput_pad);
                if (!diagonal) load_stage(smem_b, x, f, s * KJ_STAGE_TB, bj * KJ_TILE, ntb, ninput_pad);
                const uint8_t* sa = smem_a;
                const uint8_t* sb = diagonal ? smem_a : smem_b;
                for (int warp = 0; warp < 4; warp++) {
                    Warp& w = warps[warp];
                    const int wrow = (warp >> 1) * KJ_WARP_TILE, wcol = (warp & 1) * KJ_WARP_TILE;
                    for (int kb = 0; kb < KJ_STAGE_TB; kb++) {
                        uint32_t a[2][32][4], ap[2][32][4], b[4][32][2];
                        int addr[32];
                        for (int mt = 0; mt < 2; mt++) {
                            for (int lane = 0; lane < 32; lane++)
                                addr[lane] = kj_smem_offset(kb, wrow + mt * 16 + kj_lda_row(lane), kj_lda_half(lane));
                            ldmatrix_x4(sa, addr, a[mt], &conflicts);
                            for (int lane = 0; lane < 32; lane++)
                                for (int r = 0; r < 4; r++) ap[mt][lane][r] = kj_conj_perm(a[mt][lane][r]);
                        }
                        for (int np = 0; np < 2; np++) {
                            uint32_t r[32][4];
                            for (int lane = 0; lane < 32; lane++)
                                addr[lane] = kj_smem_offset(kb, wcol + np * 16 + kj_ldb_row(lane), kj_ldb_half(lane));
                            ldmatrix_x4(sb, addr, r, &conflicts);
                            for (int lane = 0; lane < 32; lane++) {
                                b[2 * np][lane][0] = r[lane][0];
                                b[2 * np][lane][1] = r[lane][1];
                                b[2 * np + 1][lane][0] = r[lane][2];
                                b[2 * np + 1][lane][1] = r[lane][3];
                            }
                        }
                        for (int mt = 0; mt < 2; mt++)
                            for (int nt = 0; nt < 4; nt++) {
                                mma(w.re[mt][nt], a[mt], b[nt]);
                                mma(w.im[mt][nt], ap[mt], b[nt]);
                            }
                    }
                }
                if (++since_flush == flush_stages && s + 1 < nstages) {
                    for (int warp = 0; warp < 4; warp++)
                        flush(warps[warp], vis, f, bi * KJ_TILE + (warp >> 1) * KJ_WARP_TILE,
                              bj * KJ_TILE + (warp & 1) * KJ_WARP_TILE, ninput);
                    since_flush = 0;
                }
            }
            for (int warp = 0; warp < 4; warp++)
                flush(warps[warp], vis, f, bi * KJ_TILE + (warp >> 1) * KJ_WARP_TILE,
                      bj * KJ_TILE + (warp & 1) * KJ_WARP_TILE, ninput);
        }
    return conflicts;
}

// ---- the scalar reference, from shared/specs/visibilities.md ---------------------------------------------------------

void reference(const uint8_t* frame, long long* vis, int nfreq, int ntime, int ninput, int ninput_pad) {
    const uint64_t nprod = (uint64_t)ninput * (ninput + 1) / 2;
    for (int f = 0; f < nfreq; f++)
        for (int a = 0; a < ninput; a++)
            for (int b = a; b < ninput; b++) {
                long long re = 0, im = 0;
                for (int t = 0; t < ntime; t++) {
                    uint8_t xa = frame[((uint64_t)f * ntime + t) * ninput_pad + a];
                    uint8_t xb = frame[((uint64_t)f * ntime + t) * ninput_pad + b];
                    int ra = (xa >> 4) - 8, ia = (xa & 15) - 8, rb = (xb >> 4) - 8, ib = (xb & 15) - 8;
                    re += ra * rb + ia * ib;
                    im += ia * rb - ra * ib;
                }
                uint64_t prod = (uint64_t)a * ninput - (uint64_t)a * (a - 1) / 2 + (b - a);
                vis[2 * (f * nprod + prod)] += re;
                vis[2 * (f * nprod + prod) + 1] += im;
            }
}

// The frame's samples in `ranges` pieces (as the backend gets them from the stage: several accumulate calls per
// frame), each unpacked and correlated into the same vis.
std::vector<long long> run_kernels(const std::vector<uint8_t>& frame, int nfreq, int ntime, int ninput, int ninput_pad,
                                   int flush_stages, int ranges, long* conflicts) {
    std::vector<long long> vis((size_t)nfreq * ninput * (ninput + 1), 0);
    *conflicts = 0;
    for (int r = 0; r < ranges; r++) {
        const int first = (int)((long)ntime * r / ranges), n = (int)((long)ntime * (r + 1) / ranges) - first;
        if (n == 0) continue;
        const int ntb = kj_ntb(n);
        std::vector<uint8_t> x((size_t)nfreq * ntb * ninput_pad * KJ_ROW_BYTES, 0xA5);   // garbage: unpack writes all
        unpack(frame.data(), x.data(), nfreq, ntime, first, n, ninput_pad, ntb);
        *conflicts += correlate(x.data(), vis.data(), nfreq, ninput, ninput_pad, ntb, flush_stages);
    }
    return vis;
}

int self_test_case(const char* name, int nfreq, int ntime, int ninput, int flush_stages, int ranges,
                   uint8_t (*sample)(std::mt19937_64&, int f, int t, int input)) {
    const int ninput_pad = (ninput + KJ_INPUT_ALIGN - 1) / KJ_INPUT_ALIGN * KJ_INPUT_ALIGN;
    std::mt19937_64 rng(12345);
    std::vector<uint8_t> frame((size_t)nfreq * ntime * ninput_pad);
    for (int f = 0; f < nfreq; f++)
        for (int t = 0; t < ntime; t++)
            for (int n = 0; n < ninput_pad; n++)
                frame[((size_t)f * ntime + t) * ninput_pad + n] = n < ninput ? sample(rng, f, t, n) : (uint8_t)rng();
    long conflicts = 0;
    std::vector<long long> got = run_kernels(frame, nfreq, ntime, ninput, ninput_pad, flush_stages, ranges, &conflicts);
    std::vector<long long> want(got.size(), 0);
    reference(frame.data(), want.data(), nfreq, ntime, ninput, ninput_pad);
    size_t bad = 0, first = 0;
    for (size_t i = 0; i < got.size(); i++)
        if (got[i] != want[i] && bad++ == 0) first = i;
    printf("%s: nfreq %d ntime %d ninput %d flush %d ranges %d: %s", name, nfreq, ntime, ninput, flush_stages, ranges,
           bad == 0 ? "exact" : "MISMATCH");
    if (bad) printf(" (%zu of %zu values; first at %zu: %lld, want %lld)", bad, got.size(), first, got[first], want[first]);
    printf("; ldmatrix bank conflicts %ld\n", conflicts);
    return bad == 0 && conflicts == 0 ? 0 : 1;
}

uint8_t random_sample(std::mt19937_64& rng, int, int, int) { return (uint8_t)rng(); }
uint8_t extreme_sample(std::mt19937_64& rng, int, int, int) {   // -8 and +7 in each part
    static const uint8_t v[4] = {0x00, 0x0F, 0xF0, 0xFF};
    return v[rng() & 3];
}
uint8_t minus8_sample(std::mt19937_64&, int, int, int) { return 0x00; }
uint8_t lost_sample(std::mt19937_64& rng, int, int t, int) { return t % 7 == 3 ? 0x88 : (uint8_t)rng(); }
uint8_t onehot_sample(std::mt19937_64&, int f, int t, int n) {   // inputs 5 and 77 (+ 128 + f) only
    return (n == 5 && t % 3 == 0) ? 0x9A : (n == 77 + f && t % 2 == 0) ? 0x3F : 0x88;
}

int self_test() {
    int failed = 0;
    const int big = KJ_MAX_FLUSH_STAGES;
    failed += self_test_case("random", 2, 64, 128, big, 1, random_sample);
    failed += self_test_case("random-flush-every-stage", 1, 256, 128, 1, 1, random_sample);
    failed += self_test_case("extremes", 2, 128, 128, big, 1, extreme_sample);
    failed += self_test_case("all-minus-8", 1, 192, 128, 2, 1, minus8_sample);
    failed += self_test_case("lost-samples", 1, 64, 256, big, 1, lost_sample);
    failed += self_test_case("one-hot", 2, 64, 130, big, 1, onehot_sample);
    failed += self_test_case("ntime-not-a-stage", 1, 40, 130, big, 1, random_sample);
    failed += self_test_case("n-not-a-tile", 1, 32, 200, big, 1, random_sample);
    failed += self_test_case("three-ranges-of-a-frame", 2, 200, 128, big, 3, random_sample);
    printf("%s\n", failed == 0 ? "all cases exact" : "FAILED");
    return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::string(argv[1]) == "--self-test") return self_test();
    if (argc != 9) {
        fprintf(stderr, "usage: %s --self-test | FRAME VIS nfreq ntime ninput ninput_pad flush_stages ranges\n", argv[0]);
        return 64;
    }
    const int nfreq = atoi(argv[3]), ntime = atoi(argv[4]), ninput = atoi(argv[5]), ninput_pad = atoi(argv[6]);
    const int flush_stages = atoi(argv[7]), ranges = atoi(argv[8]);
    if (nfreq < 1 || ntime < 1 || ninput < 1 || ninput_pad < ninput || ninput_pad % KJ_INPUT_ALIGN != 0 ||
        flush_stages < 1 || flush_stages > KJ_MAX_FLUSH_STAGES || ranges < 1 || ranges > ntime) {
        fprintf(stderr, "bad geometry\n");
        return 64;
    }
    std::vector<uint8_t> frame((size_t)nfreq * ntime * ninput_pad);
    FILE* in = fopen(argv[1], "rb");
    if (!in || fread(frame.data(), 1, frame.size(), in) != frame.size()) { fprintf(stderr, "cannot read %s\n", argv[1]); return 66; }
    fclose(in);
    long conflicts = 0;
    std::vector<long long> vis = run_kernels(frame, nfreq, ntime, ninput, ninput_pad, flush_stages, ranges, &conflicts);
    FILE* out = fopen(argv[2], "wb");
    if (!out || fwrite(vis.data(), sizeof(long long), vis.size(), out) != vis.size() || fclose(out) != 0) {
        fprintf(stderr, "cannot write %s\n", argv[2]);
        return 73;
    }
    return conflicts == 0 ? 0 : 3;
}
