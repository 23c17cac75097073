#include "integrations/teams/activity.hpp"

#include "integrations/text/ascii.hpp"
#include "integrations/text/utf8.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace integrations::teams {
namespace json = boost::json;
namespace {

// A value from the request for an error message: at most 40 bytes of printable ASCII, so a
// payload cannot forge log lines or smuggle markup into the 4xx body.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size() && i < 40; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    out += (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') ? '?' : s[i];
  }
  if (s.size() > 40) out += "...";
  return out + "\"";
}

// Reads optional members: absent and null are "not there"; a member of the wrong type is an
// error naming its path. The first error wins, later reads return empty values.
class reader {
 public:
  const json::object* object(const json::object* parent, std::string_view key,
                             std::string_view path) {
    const json::value* v = member(parent, key);
    if (v == nullptr) return nullptr;
    if (!v->is_object()) {
      fail(std::string(path) + " must be an object");
      return nullptr;
    }
    return &v->get_object();
  }

  std::string string(const json::object* parent, std::string_view key, std::string_view path) {
    const json::value* v = member(parent, key);
    if (v == nullptr) return {};
    if (!v->is_string()) {
      fail(std::string(path) + " must be a string");
      return {};
    }
    return std::string(v->get_string());
  }

  void fail(std::string message) {
    if (!failure) failure = error{std::move(message)};
  }

  std::optional<error> failure;

 private:
  static const json::value* member(const json::object* parent, std::string_view key) {
    if (parent == nullptr) return nullptr;
    const json::value* v = parent->if_contains(key);
    return v == nullptr || v->is_null() ? nullptr : v;
  }
};

std::string_view string_member(const json::object* o, std::string_view key) {
  if (o == nullptr) return {};
  const auto* v = o->if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return v->get_string();
}

const json::object* object_member(const json::object* o, std::string_view key) {
  if (o == nullptr) return nullptr;
  const auto* v = o->if_contains(key);
  return v == nullptr ? nullptr : v->if_object();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool equal_icase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && text::starts_with_icase(a, 0, lower(b));
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The character an entity at text[0] ('&') stands for, and its length; nullopt for anything we
// do not know, which then stays as written. &nbsp; becomes a plain space: Teams puts it between
// words the user typed, and the bot splits commands on spaces.
std::optional<std::pair<std::string, std::size_t>> entity(std::string_view text) {
  // Only the next few bytes: searching the whole rest for every '&' would be quadratic.
  const auto semi = text.substr(0, 11).find(';');
  if (semi == std::string_view::npos) return std::nullopt;
  const std::string name = lower(text.substr(1, semi - 1));
  const std::size_t len = semi + 1;
  if (name == "amp") return std::pair{std::string("&"), len};
  if (name == "lt") return std::pair{std::string("<"), len};
  if (name == "gt") return std::pair{std::string(">"), len};
  if (name == "quot") return std::pair{std::string("\""), len};
  if (name == "apos") return std::pair{std::string("'"), len};
  if (name == "nbsp") return std::pair{std::string(" "), len};
  if (name.size() < 2 || name[0] != '#') return std::nullopt;
  const bool hex = name[1] == 'x';
  const std::string_view digits = std::string_view(name).substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 7) return std::nullopt;
  std::uint32_t cp = 0;
  for (char c : digits) {
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    if (d < 0) return std::nullopt;
    cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
  }
  // NUL, surrogates and anything above U+10FFFF would make the text invalid UTF-8.
  if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return std::nullopt;
  if (cp == 0xA0) cp = ' ';
  std::string out;
  append_utf8(out, cp);
  return std::pair{std::move(out), len};
}

// The length of an HTML tag at text[0] ('<') that ends at the '>' at text[close], and its
// lowercase name with a leading '/' when it closes; nullopt when this '<' does not start a tag (a
// lone "<" in "a < b", or no '>' after it).
std::optional<std::pair<std::string, std::size_t>> tag(std::string_view text, std::size_t close) {
  if (text.size() < 3 || close == std::string_view::npos) return std::nullopt;
  const auto c = static_cast<unsigned char>(text[1]);
  if (!std::isalpha(c) && c != '/' && c != '!') return std::nullopt;
  std::size_t i = 1;
  std::string name;
  if (text[i] == '/') name += text[i++];
  while (i < close && std::isalnum(static_cast<unsigned char>(text[i])))
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i++])));
  return std::pair{std::move(name), close + 1};
}

bool line_breaking(std::string_view name) {
  return name == "br" || name == "/p" || name == "/div" || name == "/li" || name == "/tr" ||
         name == "/h1" || name == "/h2" || name == "/h3" || name == "/h4" || name == "/h5" ||
         name == "/h6";
}

// Appends the plain text of an HTML fragment: tags dropped or turned into line breaks, entities
// decoded, CR LF and CR turned into LF. Decoding happens in the same pass as tag removal, so an
// encoded "&lt;b&gt;" stays the text "<b>" instead of becoming a tag.
void append_plain(std::string& out, std::string_view html) {
  // The next '>' is found once and reused until passed, so a text of many '<' and no '>' is
  // still read in linear time.
  std::size_t next_gt = 0;
  bool gt_known = false;
  for (std::size_t i = 0; i < html.size();) {
    const char c = html[i];
    if (c == '<') {
      if (!gt_known || (next_gt != std::string_view::npos && next_gt < i)) {
        next_gt = html.find('>', i);
        gt_known = true;
      }
      const auto close = next_gt == std::string_view::npos ? next_gt : next_gt - i;
      if (auto t = tag(html.substr(i), close)) {
        if (line_breaking(t->first)) out += '\n';
        i += t->second;
        continue;
      }
    } else if (c == '&') {
      if (auto e = entity(html.substr(i))) {
        out += e->first;
        i += e->second;
        continue;
      }
    } else if (c == '\r') {
      out += '\n';
      i += html.substr(i).starts_with("\r\n") ? 2 : 1;
      continue;
    }
    out += c;
    ++i;
  }
}

// An <at>Name</at> mention: where it is in the text and the plain name inside it.
struct mention {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string name;
};

std::vector<mention> find_mentions(std::string_view text) {
  std::vector<mention> out;
  std::size_t from = 0;
  while (true) {
    const auto open = text.find('<', from);
    if (open == std::string_view::npos) break;
    from = open + 1;
    // "<at>" or "<at ...>", in any case.
    if (!text::starts_with_icase(text, open + 1, "at") || open + 3 >= text.size() ||
        (text[open + 3] != '>' && text[open + 3] != ' '))
      continue;
    const auto inner = text.find('>', open);
    if (inner == std::string_view::npos) break;
    std::size_t close = inner;
    while ((close = text.find('<', close + 1)) != std::string_view::npos &&
           !text::starts_with_icase(text, close, "</at>")) {
    }
    if (close == std::string_view::npos) break;
    from = close + 5;
    mention m{open, from, {}};
    append_plain(m.name, text.substr(inner + 1, close - inner - 1));
    out.push_back(std::move(m));
  }
  return out;
}

// Names the webhook is mentioned by. Teams lists each mention as an entity {type: "mention",
// mentioned: {id, name}}; the webhook's id is the recipient's (an outgoing webhook's id starts
// with "28:", people's with "29:"). Entities are hints: malformed ones are skipped.
std::vector<std::string> own_names(const json::object& activity) {
  std::vector<std::string> names;
  const auto* recipient = object_member(&activity, "recipient");
  const std::string_view recipient_id = string_member(recipient, "id");
  if (const auto* entities = activity.if_contains("entities"); entities && entities->is_array()) {
    for (const auto& e : entities->get_array()) {
      const auto* entity_object = e.if_object();
      if (string_member(entity_object, "type") != "mention") continue;
      const auto* mentioned = object_member(entity_object, "mentioned");
      const std::string_view id = string_member(mentioned, "id");
      const bool own = recipient_id.empty() ? id.starts_with("28:") : id == recipient_id;
      if (!own) continue;
      std::string name;
      append_plain(name, string_member(mentioned, "name"));
      if (!name.empty()) names.push_back(std::move(name));
    }
  }
  if (const auto name = string_member(recipient, "name"); !name.empty())
    names.emplace_back(name);
  return names;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string command_text(std::string_view text, const std::vector<std::string>& names) {
  const auto mentions = find_mentions(text);
  // The webhook's own mention is the first that carries one of its names; when none does (a
  // renamed webhook, no entities), the first mention, since only a mention sends the message.
  std::size_t own = 0;
  for (std::size_t k = 0; k < mentions.size(); ++k) {
    bool named = false;
    for (const auto& n : names) named = named || equal_icase(mentions[k].name, n);
    if (named) {
      own = k;
      break;
    }
  }

  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (std::size_t k = 0; k < mentions.size(); ++k) {
    const auto& m = mentions[k];
    append_plain(out, text.substr(at, m.begin - at));
    at = m.end;
    if (k != own) {
      out += m.name;
      continue;
    }
    // "ask <at>Bot</at> now" reads "ask now", not "ask  now"; Teams often puts &nbsp; there.
    if (out.empty() || is_space(out.back())) {
      if (text.substr(at).starts_with(' ')) at += 1;
      else if (text.substr(at).starts_with("&nbsp;")) at += 6;
    }
  }
  append_plain(out, text.substr(at));

  std::string_view rest = trimmed(out);
  for (std::string_view word : {"/playbook", "playbook"}) {
    if (text::starts_with_icase(rest, 0, word) &&
        (rest.size() == word.size() || is_space(rest[word.size()]))) {
      rest = trimmed(rest.substr(word.size()));
      break;
    }
  }
  return std::string(rest);
}

}  // namespace

result<chat_command> parse_activity(std::string_view body) {
  // Boost.JSON would refuse invalid UTF-8 too, but only as a "syntax error".
  if (!utf8::valid(body)) return error{"the body is not valid UTF-8"};
  json::parse_options options;
  // An Activity is a handful of levels deep; the limit also bounds the recursion in the value's
  // destructor for hostile input.
  options.max_depth = 32;
  boost::system::error_code ec;
  const json::value doc = json::parse(body, ec, {}, options);
  if (ec) return error{"malformed JSON: " + ec.message()};
  const json::object* activity = doc.if_object();
  if (activity == nullptr) return error{"the body is not a JSON object"};

  const json::value* type = activity->if_contains("type");
  if (type == nullptr || type->is_null()) return error{"activity.type is missing"};
  if (!type->is_string()) return error{"activity.type must be \"message\""};
  if (type->get_string() != "message")
    return error{"activity.type must be \"message\", not " + quoted(type->get_string())};

  const json::value* text = activity->if_contains("text");
  if (text == nullptr || text->is_null()) return error{"activity.text is missing"};
  if (!text->is_string()) return error{"activity.text must be a string"};
  const std::string_view raw = text->get_string();
  // Checked with the body already; kept so the promise does not rest on that check alone.
  if (!utf8::valid(raw)) return error{"activity.text is not valid UTF-8"};

  reader r;
  chat_command cmd;
  cmd.from = platform::teams;
  cmd.command = "/playbook";
  const auto* from = r.object(activity, "from", "activity.from");
  cmd.user_id = r.string(from, "aadObjectId", "activity.from.aadObjectId");
  if (cmd.user_id.empty()) cmd.user_id = r.string(from, "id", "activity.from.id");
  cmd.user_name = r.string(from, "name", "activity.from.name");
  const auto* conversation = r.object(activity, "conversation", "activity.conversation");
  const auto* channel_data = r.object(activity, "channelData", "activity.channelData");
  const auto* channel = r.object(channel_data, "channel", "activity.channelData.channel");
  const auto* team = r.object(channel_data, "team", "activity.channelData.team");
  cmd.channel_id = r.string(channel, "id", "activity.channelData.channel.id");
  if (cmd.channel_id.empty())
    cmd.channel_id = r.string(conversation, "id", "activity.conversation.id");
  cmd.channel_name = r.string(channel, "name", "activity.channelData.channel.name");
  if (cmd.channel_name.empty())
    cmd.channel_name = r.string(conversation, "name", "activity.conversation.name");
  cmd.team_id = r.string(team, "id", "activity.channelData.team.id");
  if (r.failure) return *r.failure;

  cmd.text = command_text(raw, own_names(*activity));
  return cmd;
}

}  // namespace integrations::teams
