#include "integrations/github/api.hpp"

#include "integrations/tickets/api_call.hpp"
#include "integrations/tickets/marker.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace integrations::github {

namespace json = boost::json;
using tickets::api_result;

namespace {

constexpr std::size_t max_pages = 1000;  // 100,000 comments; and no endless Link loops

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string next_link(std::string_view header) {
  // <https://api.github.com/...&page=2>; rel="next", <...>; rel="last"
  while (!header.empty()) {
    const auto open = header.find('<');
    if (open == std::string_view::npos) return "";
    const auto close = header.find('>', open);
    if (close == std::string_view::npos) return "";
    const auto address = header.substr(open + 1, close - open - 1);
    header.remove_prefix(close + 1);
    const auto end = header.find('<');
    auto params = header.substr(0, end);
    header.remove_prefix(end == std::string_view::npos ? header.size() : end);
    while (!params.empty()) {
      const auto semi = params.find(';');
      auto param = trim(params.substr(0, semi));
      params.remove_prefix(semi == std::string_view::npos ? params.size() : semi + 1);
      while (param.ends_with(',')) param = trim(param.substr(0, param.size() - 1));
      if (!param.starts_with("rel=")) continue;
      auto rel = param.substr(4);
      if (rel.size() >= 2 && rel.front() == '"' && rel.back() == '"') rel = rel.substr(1, rel.size() - 2);
      // rel may hold several space-separated relation types.
      while (!rel.empty()) {
        const auto space = rel.find(' ');
        if (rel.substr(0, space) == "next") return std::string(address);
        rel.remove_prefix(space == std::string_view::npos ? rel.size() : space + 1);
      }
    }
  }
  return "";
}

api::api(const http::client& client, api_settings settings)
    : client_(client), settings_(std::move(settings)), base_(tickets::trim_base(settings_.api_url)) {}

http::request_options api::options(bool with_body) const {
  http::request_options o;
  o.headers.push_back({"Authorization", "Bearer " + settings_.token});
  o.headers.push_back({"Accept", "application/vnd.github+json"});
  o.headers.push_back({"X-GitHub-Api-Version", "2022-11-28"});
  if (with_body) o.headers.push_back({"Content-Type", "application/json"});
  return o;
}

api_result<std::string> api::repo_path(const tickets::ticket& t) const {
  const auto slash = t.project.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == t.project.size() ||
      t.project.find('/', slash + 1) != std::string::npos)
    return tickets::permanent("the GitHub ticket's repository \"" + t.project + "\" is not owner/repo");
  return api_result<std::string>(boost::system::in_place_value,
                                 base_ + "/repos/" + tickets::encode_segment(t.project.substr(0, slash)) + "/" +
                                     tickets::encode_segment(t.project.substr(slash + 1)));
}

api_result<tickets::issue_content> api::fetch_issue(const tickets::ticket& t) {
  auto repo = repo_path(t);
  if (!repo) return repo.error();
  if (!tickets::numeric_id(t.number)) return tickets::permanent("the GitHub ticket's issue number is not a number");
  auto r = tickets::call(client_, "GET", *repo + "/issues/" + t.number, "", options(false));
  if (!r) return r.error();
  auto v = tickets::parse_json(*r, "GitHub's issue");
  if (!v) return v.error();
  const auto* o = v->if_object();
  if (o == nullptr || !o->contains("title")) return tickets::permanent("GitHub's issue has no title", r->status);
  tickets::issue_content c;
  c.title = tickets::string_of(o->if_contains("title"));
  c.body = tickets::string_of(o->if_contains("body"));
  c.state = tickets::string_of(o->if_contains("state"));
  c.labels = tickets::label_names(o->if_contains("labels"));
  return c;
}

api_result<std::string> api::find_comment(const tickets::ticket& t) {
  auto repo = repo_path(t);
  if (!repo) return repo.error();
  if (!tickets::numeric_id(t.number)) return tickets::permanent("the GitHub ticket's issue number is not a number");
  auto address = *repo + "/issues/" + t.number + "/comments?per_page=100";
  for (std::size_t page = 0; page < max_pages && !address.empty(); ++page) {
    auto r = tickets::call(client_, "GET", address, "", options(false));
    if (!r) return r.error();
    auto v = tickets::parse_json(*r, "GitHub's comment list");
    if (!v) return v.error();
    if (!v->is_array()) return tickets::permanent("GitHub's comment list is not an array", r->status);
    for (const auto& c : v->get_array()) {
      const auto* o = c.if_object();
      if (o == nullptr) continue;
      if (tickets::string_of(o->if_contains("body")).find(tickets::review_marker) == std::string::npos) continue;
      auto id = tickets::id_of(o->if_contains("id"));
      if (!tickets::numeric_id(id)) return tickets::permanent("GitHub's comment list has a comment without a numeric id", r->status);
      return api_result<std::string>(boost::system::in_place_value, std::move(id));
    }
    // The next page's address comes from the server; the token goes only to the configured host.
    address = next_link(r->header_value("Link"));
    if (!address.empty() && !tickets::same_origin(address, base_)) address.clear();
  }
  return api_result<std::string>(boost::system::in_place_value, "");
}

api_result<std::string> api::create_comment(const tickets::ticket& t, std::string_view body) {
  auto repo = repo_path(t);
  if (!repo) return repo.error();
  if (!tickets::numeric_id(t.number)) return tickets::permanent("the GitHub ticket's issue number is not a number");
  auto r = tickets::call(client_, "POST", *repo + "/issues/" + t.number + "/comments", tickets::body_json(body), options(true));
  if (!r) return r.error();
  return tickets::created_id(*r, "GitHub's new comment");
}

api_result<void> api::update_comment(const tickets::ticket& t, std::string_view id, std::string_view body) {
  auto repo = repo_path(t);
  if (!repo) return repo.error();
  if (!tickets::numeric_id(id)) return tickets::permanent("the GitHub comment id is not a number");
  auto r = tickets::call(client_, "PATCH", *repo + "/issues/comments/" + std::string(id), tickets::body_json(body), options(true));
  if (!r) return r.error();
  return {};
}

api_result<std::string> api::download(const tickets::attachment& a, std::size_t) {
  return tickets::permanent("GitHub issues have no attachments to download (" + a.filename + ")");
}

}  // namespace integrations::github
