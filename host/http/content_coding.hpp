// Content codings for streamed replies (RFC 9110 §8.4, §12.5.3): picks gzip,
// deflate or identity from Accept-Encoding (q-values, `*`, `identity;q=0`),
// and compresses a stream piece by piece with a zlib sync flush after each
// piece, so every SSE event reaches the client as soon as it is sent
// instead of waiting in the compressor (STANDARDS.md, Server-Sent Events).
// Memory: a small window (4 KiB) and memLevel 5 keep a compressor near
// 40 KiB, because every compressed subscriber holds one.
// Thread-safety: negotiateCoding is pure; a StreamCompressor is used by one
// thread at a time.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace sb::http {

enum class ContentCoding { Identity, Gzip, Deflate };

// The coding to send for this Accept-Encoding value (null = no header = no
// preference = identity). gzip is preferred to deflate at equal quality;
// `*` stands for codings the list does not name. When nothing compressed is
// acceptable the answer is identity, even if the client refused that too
// (RFC 9110 §12.5.3 lets a server send it rather than a 406).
ContentCoding negotiateCoding(const std::string* acceptEncoding);
// "gzip" / "deflate"; "" for identity.
std::string_view codingName(ContentCoding coding);

class StreamCompressor {
 public:
  explicit StreamCompressor(ContentCoding coding);  // Gzip or Deflate
  ~StreamCompressor();
  StreamCompressor(const StreamCompressor&) = delete;
  StreamCompressor& operator=(const StreamCompressor&) = delete;

  // The compressed bytes of `piece`, flushed (Z_SYNC_FLUSH): a decompressor
  // that gets them can output all of `piece` at once.
  std::string compress(std::string_view piece);
  // The end of the compressed stream (trailer).
  std::string finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace sb::http
