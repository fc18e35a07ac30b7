/* test_ike_mm.c - Main Mode messages 5 and 6, the encrypted Informational
 * and the DELETE (src/ike_mm.c) against messages built independently by
 * tests/gen_mm_vectors.py (Python hmac/hashlib and `openssl enc`), three
 * suites: 3DES/SHA-1, AES-256/SHA-256, AES-128/SHA-1.  Beyond the vectors:
 * every truncation and every single-bit flip of message 6, with exactly
 * the flips that must still verify (header fields HASH_R does not cover
 * and ike_mm6_open leaves to its caller, padding) named, and the IV chain
 * left alone by every message that fails. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_net.h"
#include "fixtures_mm.h"
#include "flip_oracle.h"
#include "ike_mm.h"

#define NCASES (sizeof(fxm_cases) / sizeof(fxm_cases[0]))
#define WORK_MAX 2048

/* The fake network's local IPv4 address: what message 5's ID carries. */
static const plat_addr local4 = { .family = 4, .addr = { 198, 18, 0, 2 }, .port = 40000 };

static void derive_psk(const fxm_case *c, const uint8_t *psk, size_t psk_len, ike_keys *k)
{
	ike_keys_in in;

	memset(&in, 0, sizeof(in));
	in.hash = c->hash;
	in.cipher = c->cipher;
	in.key_bits = c->key_bits;
	in.psk = psk;
	in.psk_len = psk_len;
	in.ni = c->ni;
	in.ni_len = c->ni_len;
	in.nr = c->nr;
	in.nr_len = c->nr_len;
	in.gxi = c->gxi;
	in.gxi_len = c->gxi_len;
	in.gxr = c->gxr;
	in.gxr_len = c->gxr_len;
	in.gxy = c->gxy;
	in.gxy_len = c->gxy_len;
	in.icookie = fxm_icookie;
	in.rcookie = fxm_rcookie;
	assert_int_equal(ike_keys_derive(k, &in), IKE_KEYS_OK);
}

/* The keys as they are once message 5 is sent: the IV is its last block. */
static void after_mm5(const fxm_case *c, ike_keys *k)
{
	uint8_t id[32], out[WORK_MAX];
	size_t idl = ike_mm_id(&local4, id, sizeof(id)), len = 0;

	derive_psk(c, c->psk, c->psk_len, k);
	assert_int_equal(ike_mm5_build(k, fxm_sai_b, sizeof(fxm_sai_b), id, idl, out, sizeof(out),
		&len), IKE_KEYS_OK);
	assert_int_equal(len, c->mm5_len);
}

/* ike_mm6_open on an exact-size heap copy (ASan sees any read past it). */
static ike_mm_status open6(ike_keys *k, const uint8_t *pkt, size_t len, ike_msg *m)
{
	uint8_t *copy = malloc(len ? len : 1), work[WORK_MAX];
	ike_mm_status st;

	assert_non_null(copy);
	if (len)
		memcpy(copy, pkt, len);
	st = ike_mm6_open(k, copy, len, fxm_sai_b, sizeof(fxm_sai_b), work, sizeof(work), m);
	free(copy);
	return st;
}

static size_t block_of(const fxm_case *c)
{
	return c->cipher == IKE_CIPHER_3DES ? 8 : 16;
}

static int setup(void **state)
{
	(void)state;
	fake_net_reset();
	return 0;
}

/* The inputs agree with the generator's: same keys, same first IV. */
static void test_keys_agree(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		const fxm_case *c = &fxm_cases[i];
		ike_keys k;

		derive_psk(c, c->psk, c->psk_len, &k);
		assert_int_equal(k.hlen, c->skeyid_a_len);
		assert_memory_equal(k.skeyid_a, c->skeyid_a, c->skeyid_a_len);
		assert_int_equal(k.enc_len, c->enc_len);
		assert_memory_equal(k.enc, c->enc, c->enc_len);
		assert_int_equal(k.block, c->iv_len);
		assert_memory_equal(k.iv, c->iv, c->iv_len);
		ike_keys_free(&k);
	}
}

static void test_mm5_exact(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		const fxm_case *c = &fxm_cases[i];
		ike_keys k;
		uint8_t id[32], out[WORK_MAX];
		size_t idl = ike_mm_id(&local4, id, sizeof(id)), len = 0;

		print_message("case %s\n", c->name);
		assert_int_equal(idl, c->idii_b_len);
		assert_memory_equal(id, c->idii_b, idl);
		derive_psk(c, c->psk, c->psk_len, &k);
		/* every buffer a byte short or more: refused, *len 0, the IV where
		 * it was (nothing was encrypted) */
		for (size_t cap = 0; cap < c->mm5_len; cap++) {
			len = 99;
			assert_int_not_equal(ike_mm5_build(&k, fxm_sai_b, sizeof(fxm_sai_b), id, idl,
				out, cap, &len), IKE_KEYS_OK);
			assert_int_equal(len, 0);
			assert_memory_equal(k.iv, c->iv, k.block);
		}
		assert_int_equal(ike_mm5_build(&k, fxm_sai_b, sizeof(fxm_sai_b), id, idl, out,
			sizeof(out), &len), IKE_KEYS_OK);
		assert_int_equal(len, c->mm5_len);
		assert_memory_equal(out, c->mm5, len);
		/* the IV chains to its last block */
		assert_memory_equal(k.iv, c->mm5 + len - k.block, k.block);
		ike_keys_free(&k);
	}
}

static void test_mm6_opens(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		const fxm_case *c = &fxm_cases[i];
		ike_keys k;
		ike_msg m;
		uint8_t work[WORK_MAX];

		print_message("case %s\n", c->name);
		after_mm5(c, &k);
		assert_int_equal(ike_mm6_open(&k, c->mm6, c->mm6_len, fxm_sai_b, sizeof(fxm_sai_b),
			work, sizeof(work), &m), IKE_MM_OK);
		assert_true(m.have_id && m.have_hash);
		assert_int_equal(m.id_len, c->idir_b_len);
		assert_memory_equal(m.id, c->idir_b, m.id_len);
		assert_int_equal(m.hash_len, c->hash_r_len);
		assert_memory_equal(m.hash, c->hash_r, m.hash_len);
		assert_int_equal(m.hdr.exchange, IKE_EXCH_MAIN);
		assert_int_equal(m.hdr.msgid, 0);
		/* work holds the plaintext, the encrypted flag off */
		assert_memory_equal(work, c->mm6_plain, 19);
		assert_int_equal(work[19], c->mm6_plain[19] & ~IKE_FLAG_ENCRYPTED);
		assert_memory_equal(work + 20, c->mm6_plain + 20, c->mm6_len - 20);
		/* the IV moved to message 6's last block */
		assert_int_equal(c->last6_len, k.block);
		assert_memory_equal(k.iv, c->last6, k.block);
		assert_memory_equal(k.iv, c->mm6 + c->mm6_len - k.block, k.block);
		ike_keys_free(&k);

		/* A whole extra block of padding is fine; the IV is its last block. */
		after_mm5(c, &k);
		assert_int_equal(open6(&k, c->mm6_padded, c->mm6_padded_len, &m), IKE_MM_OK);
		assert_memory_equal(k.iv, c->mm6_padded + c->mm6_padded_len - k.block, k.block);
		ike_keys_free(&k);

		/* Bytes past the header's length are not the message's. */
		after_mm5(c, &k);
		{
			uint8_t pkt[WORK_MAX];

			memcpy(pkt, c->mm6, c->mm6_len);
			memset(pkt + c->mm6_len, 0xee, 5);
			assert_int_equal(open6(&k, pkt, c->mm6_len + 5, &m), IKE_MM_OK);
			assert_memory_equal(k.iv, c->last6, k.block);
		}
		ike_keys_free(&k);
	}
}

/* The DELETE after message 6, byte for byte; k is not changed. */
static void test_delete_exact(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		const fxm_case *c = &fxm_cases[i];
		ike_keys k, before;
		ike_msg m;
		uint8_t out[WORK_MAX], work[WORK_MAX];
		size_t len = 0;

		print_message("case %s\n", c->name);
		after_mm5(c, &k);
		assert_int_equal(open6(&k, c->mm6, c->mm6_len, &m), IKE_MM_OK);
		before = k;
		assert_int_equal(ike_mm_delete_build(&k, fxm_delete_msgid, out, sizeof(out), &len),
			IKE_KEYS_OK);
		assert_int_equal(len, c->delete_len);
		assert_memory_equal(out, c->delete, len);
		assert_memory_equal(&k, &before, sizeof(k)); /* k is not changed */
		/* built twice: the same bytes (a retransmission) */
		assert_int_equal(ike_mm_delete_build(&k, fxm_delete_msgid, out, sizeof(out), &len),
			IKE_KEYS_OK);
		assert_memory_equal(out, c->delete, c->delete_len);
		/* it is an Informational ike_mm_info_open reads back */
		assert_int_equal(ike_mm_info_open(&k, out, c->delete_len, work, sizeof(work), &m),
			IKE_MM_OK);
		assert_true(m.have_hash && m.have_delete);
		assert_memory_equal(work + IKE_HDR_LEN, c->delete_plain + IKE_HDR_LEN,
			c->delete_len - IKE_HDR_LEN);
		for (size_t cap = 0; cap < c->delete_len; cap++) {
			len = 99;
			assert_int_not_equal(ike_mm_delete_build(&k, fxm_delete_msgid, out, cap, &len),
				IKE_KEYS_OK);
			assert_int_equal(len, 0);
		}
		ike_keys_free(&k);
		ike_keys_free(&before);
	}
}

static void test_delete_msgid_zero(void **state)
{
	const fxm_case *c = &fxm_cases[0];
	ike_keys k;
	uint8_t out[WORK_MAX];
	size_t len = 99;

	(void)state;
	after_mm5(c, &k);
	assert_int_equal(ike_mm_delete_build(&k, 0, out, sizeof(out), &len), IKE_KEYS_EINVAL);
	assert_int_equal(len, 0);
	ike_keys_free(&k);
	len = 99;
	assert_int_equal(ike_mm_delete_build(&k, fxm_delete_msgid, out, sizeof(out), &len),
		IKE_KEYS_EINVAL); /* keys not ready */
	assert_int_equal(len, 0);
}

/* The server's encrypted PAYLOAD-MALFORMED in answer to message 5, with
 * the IV of its own M-ID; k is not changed. */
static void test_info_notify(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		const fxm_case *c = &fxm_cases[i];
		ike_keys k, before;
		ike_msg m;
		uint8_t work[WORK_MAX];

		print_message("case %s\n", c->name);
		after_mm5(c, &k);
		before = k;
		assert_int_equal(ike_mm_info_open(&k, c->info, c->info_len, work, sizeof(work), &m),
			IKE_MM_OK);
		assert_true(m.have_hash);
		assert_true(m.have_notify);
		assert_int_equal(m.notify, fxm_info_notify);
		assert_int_equal(m.hdr.exchange, IKE_EXCH_INFO);
		assert_int_equal(m.hdr.msgid, fxm_info_msgid);
		assert_memory_equal(work + IKE_HDR_LEN, c->info_plain + IKE_HDR_LEN,
			c->info_len - IKE_HDR_LEN);
		assert_memory_equal(&k, &before, sizeof(k));

		/* HASH(1) off by one byte */
		assert_int_equal(ike_mm_info_open(&k, c->info_badhash, c->info_badhash_len, work,
			sizeof(work), &m), IKE_MM_EMISMATCH);
		/* no HASH at all: read, nothing to check (ike_mm.h) */
		assert_int_equal(ike_mm_info_open(&k, c->info_nohash, c->info_nohash_len, work,
			sizeof(work), &m), IKE_MM_OK);
		assert_false(m.have_hash);
		assert_true(m.have_notify);
		assert_int_equal(m.notify, fxm_info_notify);
		assert_memory_equal(&k, &before, sizeof(k));

		/* Message 5 not yet sent (the IV of message 5 in k): the wrong
		 * IV garbles the first block. */
		ike_keys_free(&k);
		derive_psk(c, c->psk, c->psk_len, &k);
		assert_int_not_equal(ike_mm_info_open(&k, c->info, c->info_len, work, sizeof(work),
			&m), IKE_MM_OK);
		ike_keys_free(&k);
		ike_keys_free(&before);
	}
}

/* Message 6 from a server with another key, or our key against its
 * message: never OK, the IV where it was. */
static void test_mm6_other_psk(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		const fxm_case *c = &fxm_cases[i];
		ike_keys k;
		ike_msg m;
		uint8_t iv[IKE_KEYS_BLOCK_MAX];
		ike_mm_status st;

		print_message("case %s\n", c->name);
		after_mm5(c, &k);
		memcpy(iv, k.iv, k.block);
		st = open6(&k, c->mm6_wrongkey, c->mm6_wrongkey_len, &m);
		print_message("  server's other key: %s\n", ike_mm_status_name(st));
		assert_true(st == IKE_MM_EGARBLED || st == IKE_MM_EMISMATCH);
		assert_memory_equal(k.iv, iv, k.block);
		ike_keys_free(&k);

		/* our key is the other one */
		derive_psk(c, fxm_wrong_psk, sizeof(fxm_wrong_psk), &k);
		memcpy(k.iv, c->mm5 + c->mm5_len - k.block, k.block);
		memcpy(iv, k.iv, k.block);
		st = open6(&k, c->mm6, c->mm6_len, &m);
		assert_true(st == IKE_MM_EGARBLED || st == IKE_MM_EMISMATCH);
		assert_memory_equal(k.iv, iv, k.block);
		st = ike_mm_info_open(&k, c->info, c->info_len, (uint8_t[WORK_MAX]){ 0 }, WORK_MAX,
			&m);
		assert_true(st == IKE_MM_EGARBLED || st == IKE_MM_EMISMATCH);
		ike_keys_free(&k);
	}
}

/* The message cut at every length: the datagram shorter than its header
 * says is ESHORT; with the header's length patched to the cut as well,
 * only a cut that drops nothing but whole blocks of padding verifies. */
static void test_mm6_truncations(void **state)
{
	size_t runs = 0, oks = 0;

	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		const fxm_case *c = &fxm_cases[i];
		const uint8_t *msgs[2] = { c->mm6, c->mm6_padded };
		const size_t lens[2] = { c->mm6_len, c->mm6_padded_len };
		size_t b = block_of(c);

		for (size_t v = 0; v < 2; v++) {
			ike_keys k0, k;
			ike_msg m;
			uint8_t pkt[WORK_MAX];

			after_mm5(c, &k0);
			for (size_t n = 0; n < lens[v]; n++) {
				bool want_ok = n >= c->mm6_end && (n - IKE_HDR_LEN) % b == 0;
				ike_mm_status st;

				k = k0;
				assert_int_equal(open6(&k, msgs[v], n, &m), IKE_MM_ESHORT);
				assert_memory_equal(k.iv, k0.iv, k.block);
				runs++;
				if (n < IKE_HDR_LEN)
					continue;
				memcpy(pkt, msgs[v], n);
				pkt[24] = (uint8_t)(n >> 24);
				pkt[25] = (uint8_t)(n >> 16);
				pkt[26] = (uint8_t)(n >> 8);
				pkt[27] = (uint8_t)n;
				st = open6(&k, pkt, n, &m);
				runs++;
				if (want_ok) {
					assert_int_equal(st, IKE_MM_OK);
					assert_memory_equal(k.iv, pkt + n - k.block, k.block);
					oks++;
				} else {
					assert_int_not_equal(st, IKE_MM_OK);
					assert_memory_equal(k.iv, k0.iv, k.block);
					/* not whole blocks, or blocks that cut a payload */
					assert_int_equal(st, (n - IKE_HDR_LEN) % b != 0 || n == IKE_HDR_LEN ?
						IKE_MM_ESHORT : IKE_MM_EGARBLED);
				}
			}
			ike_keys_free(&k0);
		}
	}
	print_message("%zu truncated messages 6 opened, %zu verified (padding cut)\n", runs, oks);
	assert_int_equal(oks, NCASES); /* one per padded variant */
}

static void test_mm6_bit_flips(void **state)
{
	size_t total = 0, oks = 0;

	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		const fxm_case *c = &fxm_cases[i];
		const uint8_t *msgs[2] = { c->mm6, c->mm6_padded };
		const size_t lens[2] = { c->mm6_len, c->mm6_padded_len };

		for (size_t v = 0; v < 2; v++) {
			ike_keys k0, k;
			ike_msg m;
			uint8_t pkt[WORK_MAX];
			size_t body_ok = 0, hdr_ok = 0;

			after_mm5(c, &k0);
			for (size_t off = 0; off < lens[v]; off++) {
				for (unsigned bit = 0; bit < 8; bit++) {
					bool want = flip_verifies(lens[v], c->mm6_end, block_of(c), off, bit, false);
					ike_mm_status st;

					memcpy(pkt, msgs[v], lens[v]);
					pkt[off] ^= (uint8_t)(1u << bit);
					k = k0;
					st = open6(&k, pkt, lens[v], &m);
					total++;
					if ((st == IKE_MM_OK) != want)
						fail_msg("%s%s: byte %zu bit %u: %s, expected %s", c->name,
							v ? " padded" : "", off, bit, ike_mm_status_name(st),
							want ? "ok" : "a failure");
					if (st == IKE_MM_OK) {
						oks++;
						if (off < IKE_HDR_LEN)
							hdr_ok++;
						else
							body_ok++;
						/* the IV moved to the last block the header's length keeps */
						{
							size_t l2 = (size_t)pkt[24] << 24 | (size_t)pkt[25] << 16 |
								(size_t)pkt[26] << 8 | pkt[27];

							assert_memory_equal(k.iv, pkt + l2 - k.block, k.block);
						}
						continue;
					}
					assert_memory_equal(k.iv, k0.iv, k.block);
					if (off == 19 && bit == 0)
						assert_int_equal(st, IKE_MM_ENOTENC);
					else if (off >= IKE_HDR_LEN)
						assert_true(st == IKE_MM_EGARBLED || st == IKE_MM_EMISMATCH ||
							st == IKE_MM_EMISSING);
				}
			}
			/* 128 cookie bits, 4 minor version, 8 exchange, 7 flags, 32
			 * M-ID; the padded variant also one length bit (minus one
			 * block) and every bit of its last block. */
			print_message("%s%s: %zu bits, %zu verify (%zu header, %zu body)\n", c->name,
				v ? " padded" : "", lens[v] * 8, hdr_ok + body_ok, hdr_ok, body_ok);
			assert_int_equal(hdr_ok, 128 + 4 + 8 + 7 + 32 + (v ? 1 : 0));
			assert_int_equal(body_ok, v ? block_of(c) * 8 : 0);
			ike_keys_free(&k0);
		}
	}
	print_message("%zu flipped messages 6, %zu verified\n", total, oks);
}

static void test_mm6_rejects(void **state)
{
	const fxm_case *c = &fxm_cases[0];
	ike_keys k, off;
	ike_msg m;
	uint8_t work[WORK_MAX], pkt[WORK_MAX];

	(void)state;
	after_mm5(c, &k);
	/* work too small for the message */
	assert_int_equal(ike_mm6_open(&k, c->mm6, c->mm6_len, fxm_sai_b, sizeof(fxm_sai_b), work,
		c->mm6_len - 1, &m), IKE_MM_ESHORT);
	assert_int_equal(ike_mm6_open(&k, c->mm6, c->mm6_len, fxm_sai_b, sizeof(fxm_sai_b), work,
		c->mm6_len, &m), IKE_MM_OK);
	ike_keys_free(&k);
	/* in the clear */
	after_mm5(c, &k);
	assert_int_not_equal(open6(&k, c->mm6_plain, c->mm6_len, &m), IKE_MM_OK);
	memcpy(pkt, c->mm6_plain, c->mm6_len);
	pkt[19] &= (uint8_t)~IKE_FLAG_ENCRYPTED;
	assert_int_equal(open6(&k, pkt, c->mm6_len, &m), IKE_MM_ENOTENC);
	/* a header alone */
	memcpy(pkt, c->mm6, IKE_HDR_LEN);
	pkt[27] = IKE_HDR_LEN;
	assert_int_equal(open6(&k, pkt, IKE_HDR_LEN, &m), IKE_MM_ESHORT);
	/* no ID payload, HASH_R right (for IDir_b): EMISSING, in every suite */
	for (size_t i = 0; i < NCASES; i++) {
		ike_keys kc;

		after_mm5(&fxm_cases[i], &kc);
		assert_int_equal(open6(&kc, fxm_cases[i].mm6_noid, fxm_cases[i].mm6_noid_len, &m),
			IKE_MM_EMISSING);
		assert_memory_equal(kc.iv, fxm_cases[i].mm5 + fxm_cases[i].mm5_len - kc.block,
			kc.block);
		ike_keys_free(&kc);
	}
	/* the Informational is no message 6 (no ID) */
	assert_int_not_equal(open6(&k, c->info, c->info_len, &m), IKE_MM_OK);
	/* another SAi_b: HASH_R differs */
	{
		uint8_t sai[sizeof(fxm_sai_b)];

		memcpy(sai, fxm_sai_b, sizeof(sai));
		sai[sizeof(sai) - 1] ^= 1;
		assert_int_equal(ike_mm6_open(&k, c->mm6, c->mm6_len, sai, sizeof(sai), work,
			sizeof(work), &m), IKE_MM_EMISMATCH);
	}
	assert_memory_equal(k.iv, c->mm5 + c->mm5_len - k.block, k.block);
	ike_keys_free(&k);
	/* keys not ready */
	memset(&off, 0, sizeof(off));
	assert_int_equal(open6(&off, c->mm6, c->mm6_len, &m), IKE_MM_ECRYPTO);
	assert_int_equal(ike_mm_info_open(&off, c->info, c->info_len, work, sizeof(work), &m),
		IKE_MM_ECRYPTO);
	{
		size_t len = 99;

		assert_int_equal(ike_mm5_build(&off, fxm_sai_b, sizeof(fxm_sai_b), c->idii_b,
			c->idii_b_len, work, sizeof(work), &len), IKE_KEYS_EINVAL);
		assert_int_equal(len, 0);
	}
}

/* The Informational cut anywhere, or a bit of its M-ID (which picks the IV
 * and enters HASH(1)) or of its body flipped: never OK, k unchanged.  (Its
 * padding shares a block with the N payload in every suite.) */
static void test_info_damaged(void **state)
{
	size_t runs = 0;

	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		const fxm_case *c = &fxm_cases[i];
		ike_keys k, before;
		ike_msg m;
		uint8_t work[WORK_MAX], pkt[WORK_MAX];

		after_mm5(c, &k);
		before = k;
		for (size_t n = 0; n < c->info_len; n++) {
			uint8_t *copy = malloc(n ? n : 1);

			assert_non_null(copy);
			if (n)
				memcpy(copy, c->info, n);
			assert_int_equal(ike_mm_info_open(&k, copy, n, work, sizeof(work), &m),
				IKE_MM_ESHORT);
			free(copy);
			runs++;
		}
		for (size_t off = 20; off < c->info_len; off++) {
			if (off >= 24 && off < IKE_HDR_LEN)
				continue; /* the length: as message 6's */
			for (unsigned bit = 0; bit < 8; bit++) {
				memcpy(pkt, c->info, c->info_len);
				pkt[off] ^= (uint8_t)(1u << bit);
				assert_int_not_equal(ike_mm_info_open(&k, pkt, c->info_len, work,
					sizeof(work), &m), IKE_MM_OK);
				runs++;
			}
		}
		assert_memory_equal(&k, &before, sizeof(k));
		ike_keys_free(&k);
		ike_keys_free(&before);
	}
	print_message("%zu damaged Informationals refused\n", runs);
}

static void test_mm_id(void **state)
{
	static const uint8_t v4[] = { 1, 17, 0x01, 0xf4, 198, 18, 0, 2 };
	static const uint8_t v6[] = { 5, 17, 0x01, 0xf4, 0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 2 };
	plat_addr a6 = { .family = 6, .addr = { 0x20, 0x01, 0, 2, [15] = 2 }, .port = 500 };
	plat_addr bad = local4;
	uint8_t out[32];

	(void)state;
	memset(out, 0xcc, sizeof(out));
	assert_int_equal(ike_mm_id(&local4, out, sizeof(out)), sizeof(v4));
	assert_memory_equal(out, v4, sizeof(v4));
	assert_int_equal(out[sizeof(v4)], 0xcc);
	assert_int_equal(ike_mm_id(&local4, out, sizeof(v4)), sizeof(v4));
	assert_int_equal(ike_mm_id(&local4, out, sizeof(v4) - 1), 0);
	assert_int_equal(ike_mm_id(&local4, out, 0), 0);

	memset(out, 0xcc, sizeof(out));
	assert_int_equal(ike_mm_id(&a6, out, sizeof(out)), sizeof(v6));
	assert_memory_equal(out, v6, sizeof(v6));
	assert_int_equal(out[sizeof(v6)], 0xcc);
	assert_int_equal(ike_mm_id(&a6, out, sizeof(v6)), sizeof(v6));
	assert_int_equal(ike_mm_id(&a6, out, sizeof(v6) - 1), 0);

	for (unsigned f = 0; f < 256; f++) {
		if (f == 4 || f == 6)
			continue;
		bad.family = (uint8_t)f;
		memset(out, 0xcc, sizeof(out));
		assert_int_equal(ike_mm_id(&bad, out, sizeof(out)), 0);
		assert_int_equal(out[0], 0xcc);
	}
}

static void test_status_names(void **state)
{
	(void)state;
	for (int s = IKE_MM_OK; s <= IKE_MM_ECRYPTO; s++) {
		assert_non_null(ike_mm_status_name((ike_mm_status)s));
		assert_string_not_equal(ike_mm_status_name((ike_mm_status)s), "unknown");
		for (int t = IKE_MM_OK; t < s; t++)
			assert_string_not_equal(ike_mm_status_name((ike_mm_status)s),
				ike_mm_status_name((ike_mm_status)t));
	}
	assert_string_equal(ike_mm_status_name((ike_mm_status)99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_keys_agree, setup),
		cmocka_unit_test_setup(test_mm5_exact, setup),
		cmocka_unit_test_setup(test_mm6_opens, setup),
		cmocka_unit_test_setup(test_delete_exact, setup),
		cmocka_unit_test_setup(test_delete_msgid_zero, setup),
		cmocka_unit_test_setup(test_info_notify, setup),
		cmocka_unit_test_setup(test_mm6_other_psk, setup),
		cmocka_unit_test_setup(test_mm6_truncations, setup),
		cmocka_unit_test_setup(test_mm6_bit_flips, setup),
		cmocka_unit_test_setup(test_mm6_rejects, setup),
		cmocka_unit_test_setup(test_info_damaged, setup),
		cmocka_unit_test_setup(test_mm_id, setup),
		cmocka_unit_test_setup(test_status_names, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
