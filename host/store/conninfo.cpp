#include "store/conninfo.hpp"

#include <cctype>
#include <map>
#include <vector>

namespace sb::store {
namespace {

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string_view urlBody(std::string_view conninfo) {
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (startsWith(conninfo, scheme)) return conninfo.substr(scheme.size());
  }
  return {};
}

bool isUrl(std::string_view conninfo) {
  return startsWith(conninfo, "postgresql://") || startsWith(conninfo, "postgres://");
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> percentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) {
      return Result<std::string>(ErrorCode::InvalidArgument,
                                 "database URL has a truncated %-escape", "database.url");
    }
    int high = hexValue(text[i + 1]);
    int low = hexValue(text[i + 2]);
    if (high < 0 || low < 0) {
      return Result<std::string>(ErrorCode::InvalidArgument,
                                 "database URL has an invalid %-escape", "database.url");
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

bool hasWhitespace(const std::string& text) {
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

// Splits URL form into keyword pairs, in the order libpq documents.
Result<std::vector<std::pair<std::string, std::string>>> parseUrl(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string_view query;
  if (auto q = body.find('?'); q != std::string_view::npos) {
    query = body.substr(q + 1);
    body = body.substr(0, q);
  }
  std::string_view path;
  if (auto slash = body.find('/'); slash != std::string_view::npos) {
    path = body.substr(slash + 1);
    body = body.substr(0, slash);
  }
  if (auto at = body.rfind('@'); at != std::string_view::npos) {
    std::string_view userInfo = body.substr(0, at);
    body = body.substr(at + 1);
    std::string_view user = userInfo;
    if (auto colon = userInfo.find(':'); colon != std::string_view::npos) {
      user = userInfo.substr(0, colon);
      pairs.emplace_back("password", std::string(userInfo.substr(colon + 1)));
    }
    if (!user.empty()) pairs.emplace_back("user", std::string(user));
  }
  std::string_view host = body;
  std::string_view port;
  if (startsWith(host, "[")) {
    auto close = host.find(']');
    if (close == std::string_view::npos) {
      return Result<std::vector<std::pair<std::string, std::string>>>(
          ErrorCode::InvalidArgument, "database URL has an unterminated [IPv6] host", "database.url");
    }
    if (close + 1 < host.size() && host[close + 1] == ':') port = host.substr(close + 2);
    host = host.substr(1, close - 1);
  } else if (host.find(',') == std::string_view::npos) {
    if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
    }
  }
  if (!host.empty()) pairs.emplace_back("host", std::string(host));
  if (!port.empty()) pairs.emplace_back("port", std::string(port));
  if (!path.empty()) pairs.emplace_back("dbname", std::string(path));
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string_view::npos) {
      return Result<std::vector<std::pair<std::string, std::string>>>(
          ErrorCode::InvalidArgument, "database URL parameter without '=': " + std::string(item),
          "database.url");
    }
    pairs.emplace_back(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
  }
  for (auto& [key, value] : pairs) {
    auto decoded = percentDecode(value);
    if (!decoded) return decoded.status();
    value = std::move(decoded.value());
  }
  return pairs;
}

Result<std::vector<std::pair<std::string, std::string>>> parseKeywords(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos >= text.size()) break;
    std::size_t end = pos;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    std::string_view item = text.substr(pos, end - pos);
    pos = end;
    auto eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Result<std::vector<std::pair<std::string, std::string>>>(
          ErrorCode::InvalidArgument,
          "database connection string must be 'key=value' pairs separated by spaces or a "
          "postgresql:// URL; got an item without '='",
          "database.url");
    }
    if (item.find('\'') != std::string_view::npos) {
      return Result<std::vector<std::pair<std::string, std::string>>>(
          ErrorCode::InvalidArgument,
          "quoted values are not supported in the database connection string (use the URL form "
          "with %-escapes)",
          "database.url");
    }
    pairs.emplace_back(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
  }
  if (pairs.empty()) {
    return Result<std::vector<std::pair<std::string, std::string>>>(
        ErrorCode::InvalidArgument, "database connection string is empty", "database.url");
  }
  return pairs;
}

std::string passwordOf(const std::string& conninfo) {
  auto pairs = isUrl(conninfo) ? parseUrl(urlBody(conninfo)) : parseKeywords(conninfo);
  if (!pairs) return {};
  std::string password;
  for (const auto& [key, value] : pairs.value()) {
    if (key == "password") password = value;
  }
  return password;
}

void replaceAll(std::string& text, const std::string& needle, const std::string& replacement) {
  if (needle.empty()) return;
  for (auto pos = text.find(needle); pos != std::string::npos;
       pos = text.find(needle, pos + replacement.size())) {
    text.replace(pos, needle.size(), replacement);
  }
}

}  // namespace

Result<std::string> toKeywordConninfo(const std::string& conninfo) {
  auto pairs = isUrl(conninfo) ? parseUrl(urlBody(conninfo)) : parseKeywords(conninfo);
  if (!pairs) return pairs.status();
  std::string out;
  bool hasTimeout = false;
  for (const auto& [key, value] : pairs.value()) {
    // Poco splits on spaces before handing the string to libpq, so a value
    // with whitespace would be silently cut in two.
    if (hasWhitespace(value)) {
      return Result<std::string>(ErrorCode::InvalidArgument,
                                 "database connection parameter '" + key +
                                     "' contains whitespace, which the connector cannot pass on",
                                 "database.url");
    }
    if (key == "connect_timeout") hasTimeout = true;
    if (!out.empty()) out += ' ';
    out += key + "=" + value;
  }
  if (!hasTimeout) out += " connect_timeout=10";
  return out;
}

std::string redactPassword(std::string message, const std::string& conninfo) {
  std::string password = passwordOf(conninfo);
  if (!password.empty()) replaceAll(message, password, "***");
  // Also catch forms we did not parse (e.g. a password in a malformed string).
  for (std::size_t pos = message.find("password="); pos != std::string::npos;
       pos = message.find("password=", pos + 1)) {
    std::size_t start = pos + 9;
    std::size_t end = start;
    while (end < message.size() && !std::isspace(static_cast<unsigned char>(message[end]))) ++end;
    message.replace(start, end - start, "***");
  }
  for (std::size_t pos = message.find("://"); pos != std::string::npos;
       pos = message.find("://", pos + 3)) {
    std::size_t at = message.find('@', pos);
    std::size_t stop = message.find_first_of(" /\n", pos + 3);
    if (at == std::string::npos || (stop != std::string::npos && stop < at)) continue;
    std::size_t colon = message.find(':', pos + 3);
    if (colon != std::string::npos && colon < at) message.replace(colon + 1, at - colon - 1, "***");
  }
  return message;
}

std::string withDollarPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  char quote = 0;
  int next = 1;
  for (char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;  // a doubled quote re-enters the literal on the next char
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$' + std::to_string(next++);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace sb::store
