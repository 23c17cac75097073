#include "integrations/chat/command.hpp"

namespace integrations {

std::string_view platform_name(platform p) {
  switch (p) {
    case platform::slack:
      return "slack";
    case platform::mattermost:
      return "mattermost";
    case platform::teams:
      return "teams";
    case platform::cli:
      return "cli";
  }
  return "unknown";
}

}  // namespace integrations
