#pragma once
// The ticket systems' API clients the workers use, one per system (null: that system is off).

#include "integrations/tickets/api.hpp"
#include "integrations/tickets/event.hpp"


namespace bot {

struct tracker_apis {
  integrations::tickets::tracker_api* jira = nullptr;
  integrations::tickets::tracker_api* github = nullptr;
  integrations::tickets::tracker_api* gitlab = nullptr;

  integrations::tickets::tracker_api* of(integrations::tickets::tracker t) const {
    switch (t) {
      case integrations::tickets::tracker::jira: return jira;
      case integrations::tickets::tracker::github: return github;
      case integrations::tickets::tracker::gitlab: return gitlab;
    }
    return nullptr;
  }
};

}  // namespace bot
