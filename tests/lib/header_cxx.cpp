// SPDX-License-Identifier: Apache-2.0
//
// header_cxx.cpp: include/avrokit.h compiles alone as C++ (tests/lib/header.sh builds this
// as C++11 and C++17 with -pedantic -Wall -Wextra -Werror), and its functions link from C++:
// the extern "C" block is right, so the names are not mangled. Free functions serve as
// deleters of smart pointers, and callbacks can be captureless lambdas.
#include <avrokit.h>
#include <cstdio>
#include <cstring>
#include <memory>

static_assert(AK_VERSION_NUMBER == AK_VERSION_MAJOR * 10000 + AK_VERSION_MINOR * 100 +
	      AK_VERSION_PATCH, "version macros");
static_assert(AK_E_NOMEM == -1 && AK_E_CALLBACK == -12, "frozen status codes");

static int fail(const char *what, const ak_error &err)
{
	char msg[1024];
	ak_error_format(&err, msg, sizeof(msg));
	std::fprintf(stderr, "header_cxx: %s: %s\n", what, msg);
	return 1;
}

int main()
{
	static const char json[] = "{\"type\": \"array\", \"items\": \"string\"}";
	ak_error err;
	std::unique_ptr<ak_schema, void (*)(ak_schema *)> s(
		ak_schema_parse(json, std::strlen(json), 0, &err), ak_schema_free);
	if (!s)
		return fail("schema", err);
	std::unique_ptr<ak_encoder, void (*)(ak_encoder *)> e(
		ak_encoder_new(s.get(), nullptr, &err), ak_encoder_free);
	if (!e)
		return fail("encoder", err);
	std::unique_ptr<ak_decoder, void (*)(ak_decoder *)> d(
		ak_decoder_new(s.get(), nullptr, &err), ak_decoder_free);
	if (!d)
		return fail("decoder", err);

	ak_put_array(e.get(), &err);
	ak_put_string(e.get(), "x", 1, &err);
	ak_put_string(e.get(), "yz", 2, &err);
	ak_put_end(e.get(), &err);
	const void *data;
	size_t len;
	if (ak_encoder_datum(e.get(), &data, &len, &err) != AK_OK)
		return fail("encode", err);

	ak_visitor v = AK_VISITOR_INIT;
	v.on_string = [](void *ctx, const ak_node *, const char *, size_t n) -> int {
		*static_cast<size_t *>(ctx) += n;
		return 0;
	};
	size_t total = 0;
	if (ak_decode(d.get(), data, len, nullptr, &v, &total, &err) != AK_OK)
		return fail("decode", err);
	if (total != 3 || std::strcmp(ak_version(), AK_VERSION_STRING) != 0) {
		std::fprintf(stderr, "header_cxx: decoded %zu bytes of strings, version %s\n",
			     total, ak_version());
		return 1;
	}
	return 0;
}
