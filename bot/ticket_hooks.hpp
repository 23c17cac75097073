#pragma once
// The webhook intake of the ticket systems (POST /hooks/jira, /hooks/github, /hooks/gitlab):
// verify on the raw bytes, parse, keep only procurement tickets, commit the event to the inbox,
// then answer 202. Nothing slow happens here: the ticket worker does the rest.

#include "bot/config.hpp"
#include "bot/router.hpp"
#include "integrations/github/webhook.hpp"
#include "integrations/gitlab/webhook.hpp"
#include "integrations/jira/webhook.hpp"
#include "integrations/tickets/event.hpp"
#include "storage/tickets.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace bot {

// An inbox payload: the event name the sender gave in a header (GitHub, GitLab; "" for Jira), a
// newline, then the verified body exactly as received.
std::string stored_payload(std::string_view event_name, std::string_view body);

// Parses a payload stored_payload wrote, with the system's own parser.
integrations::result<integrations::tickets::hook> parse_stored_payload(
    integrations::tickets::tracker system, std::string_view payload);

class ticket_hooks {
 public:
  // wake is called after an event is committed (it wakes the ticket worker). All references must
  // outlive this object.
  ticket_hooks(const settings& s, storage::ticket_store& store, std::function<void()> wake,
               clock_fn now = system_now);

  response jira(const request& req, const request_context& ctx) const;
  response github(const request& req, const request_context& ctx) const;
  response gitlab(const request& req, const request_context& ctx) const;

 private:
  response accept(const request& req, const request_context& ctx,
                  integrations::tickets::tracker system, std::string_view event_name,
                  integrations::result<integrations::tickets::hook> parsed,
                  std::string delivery) const;

  const settings& settings_;
  storage::ticket_store& store_;
  std::function<void()> wake_;
  clock_fn now_;
  std::optional<integrations::jira::webhook_verifier> jira_;
  std::optional<integrations::github::webhook_verifier> github_;
  std::optional<integrations::gitlab::token_checker> gitlab_;
};

}  // namespace bot
