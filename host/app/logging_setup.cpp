#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Exception.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>

#include "app/application.hpp"
#include "core/private_file.hpp"

namespace sb {
namespace {
// The config speaks the common names; Poco spells one of them differently.
std::string pocoLevel(const std::string& level) {
  return level == "info" ? std::string("information") : level;
}
}  // namespace

Status configureLogging(const LoggingConfig& logging) {
  try {
    Poco::AutoPtr<Poco::Channel> sink;
    if (logging.file == "-" || logging.file.empty()) {
      sink = new Poco::ConsoleChannel;  // stderr
    } else {
      // The log names users, projects and requests: 0600 whatever the umask.
      if (Status made = ensurePrivateFile(logging.file); !made) {
        return {ErrorCode::InvalidArgument, "logging.file: " + made.message(), "logging.file"};
      }
      auto* file = new Poco::FileChannel(logging.file);
      file->setProperty("rotation", "50 M");
      file->setProperty("archive", "timestamp");
      sink = file;
    }
    Poco::AutoPtr<Poco::PatternFormatter> format(
        new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %q %s: %t"));
    Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(format, sink));
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::root().setLevel(pocoLevel(logging.level));
    // Loggers created before this call keep their old settings; propagate.
    Poco::Logger::setChannel("", channel);
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(pocoLevel(logging.level)));
    return Status::ok();
  } catch (const Poco::Exception& e) {
    return {ErrorCode::InvalidArgument, "logging: " + e.displayText(), "logging"};
  }
}

}  // namespace sb
