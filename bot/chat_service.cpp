#include "bot/chat_service.hpp"

#include "integrations/markdown/render.hpp"
#include "integrations/mattermost/render.hpp"
#include "integrations/slack/render.hpp"
#include "integrations/teams/render.hpp"

namespace bot {
namespace im = integrations;

namespace {

// A static answer's argument reduced to the id it names ("MOOCs" → "mooc"); nullopt when the
// argument names nothing (the answer is then an error, composed per request).
std::optional<std::string> canonical_argument(const knowledge::playbook& book,
                                              const parsed_command& cmd) {
  if (cmd.argument.empty()) return std::string();
  if (cmd.what == topic::types) {
    const auto* t = book.find_type(cmd.argument);
    return t ? std::optional(t->id) : std::nullopt;
  }
  if (cmd.what == topic::tracks) {
    const auto* t = book.find_track(cmd.argument);
    return t ? std::optional(t->id) : std::nullopt;
  }
  return std::string();  // other subcommands take no argument; extra words are ignored
}

parsed_command with_argument(parsed_command cmd, const std::string& argument) {
  cmd.argument = argument;
  return cmd;
}

// The platforms whose answers a service for `where` renders ahead.
std::vector<im::platform> platforms_of(surface where) {
  if (where == surface::channel) return {im::platform::teams};
  if (where == surface::chat) return {im::platform::slack, im::platform::mattermost};
  return {};
}

bool is_error(const parsed_command& cmd, const knowledge::playbook& book) {
  if (cmd.what == topic::unknown) return true;
  if (cmd.what == topic::search || cmd.what == topic::review) return cmd.argument.empty();
  return !canonical_argument(book, cmd).has_value();
}

}  // namespace

chat_service::chat_service(const knowledge::playbook& book, std::string prefix, surface where,
                           knowledge::extract_limits limits)
    : book_(book), index_(book), composer_(book, index_, std::move(prefix), where, limits) {
  std::vector<parsed_command> commands;
  for (const auto& s : subcommands()) {
    parsed_command cmd;
    cmd.what = s.what;
    if (!answer_composer::is_static(cmd)) continue;
    commands.push_back(cmd);
    if (s.what == topic::types)
      for (const auto& t : book.types.items) commands.push_back(with_argument(cmd, t.id));
    if (s.what == topic::tracks)
      for (const auto& t : book.role_tracks.items) commands.push_back(with_argument(cmd, t.id));
  }
  for (auto cmd : commands) {
    for (bool is_public : {false, true}) {
      cmd.is_public = is_public;
      const auto r = reply_for(cmd);
      for (auto p : platforms_of(where)) rendered_.emplace(cache_key(p, cmd), render(p, r));
    }
  }
}

std::string chat_service::cache_key(im::platform p, const parsed_command& cmd) const {
  if (!answer_composer::is_static(cmd)) return {};
  const auto arg = canonical_argument(book_, cmd);
  if (!arg) return {};
  std::string key(im::platform_name(p));
  key += '\0';
  key += info(cmd.what).name;
  key += '\0';
  key += *arg;
  key += '\0';
  key += cmd.is_public ? 'p' : 'e';
  return key;
}

im::reply chat_service::reply_for(const parsed_command& cmd) const {
  im::reply r;
  bool failed = false;
  r.body = composer_.compose(cmd, &failed);
  r.audience = cmd.is_public && !failed && !is_error(cmd, book_) ? im::visibility::in_channel
                                                                  : im::visibility::ephemeral;
  return r;
}

im::reply chat_service::answer(std::string_view text) const {
  return reply_for(parse_command_text(text));
}

std::string chat_service::render(im::platform p, const im::reply& r) const {
  if (p == im::platform::slack) return im::slack::render_reply_body(r);
  if (p == im::platform::teams) return im::teams::render_reply_body(r);
  return im::mattermost::render_reply_body(r);
}

std::string chat_service::respond(im::platform p, std::string_view text) const {
  im::chat_command cmd;
  cmd.from = p;
  cmd.text = std::string(text);
  return respond(cmd);
}

std::string chat_service::respond(const im::chat_command& cmd) const {
  auto parsed = parse_command_text(cmd.text);
  if (decisions_ != nullptr && is_decision_topic(parsed.what))
    return render(cmd.from, decisions_->answer(parsed, cmd));
  if (const auto key = cache_key(cmd.from, parsed); !key.empty()) {
    if (auto it = rendered_.find(key); it != rendered_.end()) return it->second;
  }
  return render(cmd.from, reply_for(parsed));
}

std::string chat_service::markdown(std::string_view text) const {
  return im::markdown::render(answer(text).body, {.defuse_mentions = false, .title_level = 1});
}

}  // namespace bot
