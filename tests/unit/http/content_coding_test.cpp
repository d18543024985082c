// Accept-Encoding negotiation (RFC 9110 §12.5.3) and per-piece sync flushes:
// each compressed piece decompresses on its own, so a compressed SSE stream
// stays live.
#include <gtest/gtest.h>

#include <zlib.h>

#include <vector>

#include "http/content_coding.hpp"

namespace sb::http {
namespace {

ContentCoding pick(const char* header) {
  const std::string value = header;
  return negotiateCoding(&value);
}

TEST(ContentCoding, NegotiatesByQualityNameAndStar) {
  EXPECT_EQ(negotiateCoding(nullptr), ContentCoding::Identity);
  EXPECT_EQ(pick("gzip"), ContentCoding::Gzip);
  EXPECT_EQ(pick("deflate"), ContentCoding::Deflate);
  EXPECT_EQ(pick("deflate, gzip"), ContentCoding::Gzip);
  EXPECT_EQ(pick("gzip;q=0.5, deflate"), ContentCoding::Deflate);
  EXPECT_EQ(pick("GZIP ; Q=1"), ContentCoding::Gzip);
  EXPECT_EQ(pick("gzip;q=0"), ContentCoding::Identity);
  EXPECT_EQ(pick("*"), ContentCoding::Gzip);
  EXPECT_EQ(pick("*;q=0, deflate;q=0.1"), ContentCoding::Deflate);
  EXPECT_EQ(pick("br"), ContentCoding::Identity);
  EXPECT_EQ(pick("identity"), ContentCoding::Identity);
  EXPECT_EQ(pick(""), ContentCoding::Identity);
  EXPECT_EQ(pick("gzip;q=abc"), ContentCoding::Identity) << "a malformed q-value refuses the coding";
  EXPECT_EQ(pick("gzip;q=2"), ContentCoding::Identity);
}

// Inflates `input` as the next part of a stream; the output is everything
// the decompressor can produce from it.
std::string inflatePart(z_stream& stream, const std::string& input) {
  std::string out;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  char buffer[1024];
  while (stream.avail_in > 0) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    const int result = inflate(&stream, Z_SYNC_FLUSH);
    EXPECT_TRUE(result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR) << result;
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (result == Z_STREAM_END || result == Z_BUF_ERROR) break;
  }
  return out;
}

void expectLivePieces(ContentCoding coding, int windowBits) {
  StreamCompressor compressor(coding);
  z_stream stream{};
  ASSERT_EQ(inflateInit2(&stream, windowBits), Z_OK);
  for (const std::string& piece : std::vector<std::string>{"id: 1\ndata: first\n\n", "id: 2\ndata: second, a little longer\n\n",
                                  std::string(5000, 'x') + "\n\n"}) {
    EXPECT_EQ(inflatePart(stream, compressor.compress(piece)), piece) << "a piece must not wait in the compressor";
  }
  EXPECT_EQ(inflatePart(stream, compressor.finish()), "");
  inflateEnd(&stream);
}

TEST(ContentCoding, EveryPieceIsFlushed) {
  expectLivePieces(ContentCoding::Gzip, 15 + 16);
  expectLivePieces(ContentCoding::Deflate, 15);
}

}  // namespace
}  // namespace sb::http
