#include "integrations/slack/usergroups.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace integrations::slack {

std::string usergroup_users_url(std::string_view api_base, std::string_view group) {
  std::string out(api_base);
  while (!out.empty() && out.back() == '/') out.pop_back();
  out += "/usergroups.users.list?usergroup=";
  for (const char c : group) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.') {
      out += c;
    } else {
      static constexpr char hex[] = "0123456789ABCDEF";
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  return out;
}

result<std::vector<std::string>> parse_usergroup_users(std::string_view json) {
  boost::system::error_code ec;
  const auto doc = boost::json::parse(json, ec);
  if (ec || !doc.is_object()) return error{"Slack's answer is not a JSON object"};
  const auto& o = doc.as_object();
  const auto* ok = o.if_contains("ok");
  if (ok == nullptr || !ok->is_bool()) return error{"Slack's answer has no ok field"};
  if (!ok->as_bool()) {
    const auto* e = o.if_contains("error");
    return error{"Slack says " + (e && e->is_string() ? std::string(e->as_string()) : std::string("not ok"))};
  }
  const auto* users = o.if_contains("users");
  if (users == nullptr || !users->is_array()) return error{"Slack's answer has no users list"};
  std::vector<std::string> out;
  for (const auto& u : users->as_array()) {
    if (!u.is_string()) return error{"Slack's users list holds something other than ids"};
    out.emplace_back(u.as_string());
  }
  return out;
}

}  // namespace integrations::slack
