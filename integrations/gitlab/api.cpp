#include "integrations/gitlab/api.hpp"

#include "integrations/tickets/api_call.hpp"
#include "integrations/tickets/marker.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace integrations::gitlab {

namespace json = boost::json;
using tickets::api_result;

namespace {

constexpr std::size_t max_pages = 1000;
constexpr std::size_t per_page = 100;

}  // namespace

api::api(const http::client& client, api_settings settings)
    : client_(client), settings_(std::move(settings)), base_(tickets::trim_base(settings_.api_url)) {}

http::request_options api::options(bool with_body) const {
  http::request_options o;
  o.headers.push_back({"PRIVATE-TOKEN", settings_.token});
  o.headers.push_back({"Accept", "application/json"});
  if (with_body) o.headers.push_back({"Content-Type", "application/json"});
  return o;
}

api_result<std::string> api::issue_path(const tickets::ticket& t) const {
  // The numeric id survives a project rename; the path ("group/sub/project", one encoded segment)
  // is the fallback.
  std::string project;
  if (tickets::numeric_id(t.project_id)) project = t.project_id;
  else if (!t.project.empty()) project = tickets::encode_segment(t.project);
  else return tickets::permanent("the GitLab ticket names no project");
  if (!tickets::numeric_id(t.number)) return tickets::permanent("the GitLab ticket's issue iid is not a number");
  return api_result<std::string>(boost::system::in_place_value,
                                 base_ + "/projects/" + project + "/issues/" + t.number);
}

api_result<tickets::issue_content> api::fetch_issue(const tickets::ticket& t) {
  auto path = issue_path(t);
  if (!path) return path.error();
  auto r = tickets::call(client_, "GET", *path, "", options(false));
  if (!r) return r.error();
  auto v = tickets::parse_json(*r, "GitLab's issue");
  if (!v) return v.error();
  const auto* o = v->if_object();
  if (o == nullptr || !o->contains("title")) return tickets::permanent("GitLab's issue has no title", r->status);
  tickets::issue_content c;
  c.title = tickets::string_of(o->if_contains("title"));
  c.body = tickets::string_of(o->if_contains("description"));
  c.state = tickets::string_of(o->if_contains("state"));
  c.labels = tickets::label_names(o->if_contains("labels"));
  return c;
}

api_result<std::string> api::find_comment(const tickets::ticket& t) {
  auto path = issue_path(t);
  if (!path) return path.error();
  std::uint64_t page = 1;
  for (std::size_t n = 0; n < max_pages; ++n) {
    const auto address = *path + "/notes?sort=asc&order_by=created_at&per_page=" + std::to_string(per_page) +
                         "&page=" + std::to_string(page);
    auto r = tickets::call(client_, "GET", address, "", options(false));
    if (!r) return r.error();
    auto v = tickets::parse_json(*r, "GitLab's note list");
    if (!v) return v.error();
    if (!v->is_array()) return tickets::permanent("GitLab's note list is not an array", r->status);
    const auto& notes = v->get_array();
    for (const auto& note : notes) {
      const auto* o = note.if_object();
      if (o == nullptr) continue;
      if (const auto* system = o->if_contains("system"); system && system->is_bool() && system->get_bool()) continue;
      if (tickets::string_of(o->if_contains("body")).find(tickets::review_marker) == std::string::npos) continue;
      auto id = tickets::id_of(o->if_contains("id"));
      if (!tickets::numeric_id(id)) return tickets::permanent("GitLab's note list has a note without a numeric id", r->status);
      return api_result<std::string>(boost::system::in_place_value, std::move(id));
    }
    // X-Next-Page is empty on the last page; without the header at all, a short page is the last.
    const bool paged = std::any_of(r->headers.begin(), r->headers.end(), [](const http::header& h) {
      return h.name.size() == 11 && std::equal(h.name.begin(), h.name.end(), "x-next-page", [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
             });
    });
    std::uint64_t following = page + 1;
    if (paged) {
      const auto next = r->header_value("X-Next-Page");
      const auto [p, e] = std::from_chars(next.data(), next.data() + next.size(), following);
      if (next.empty() || e != std::errc{} || p != next.data() + next.size() || following <= page) break;
    } else if (notes.size() < per_page) {
      break;
    }
    page = following;
  }
  return api_result<std::string>(boost::system::in_place_value, "");
}

api_result<std::string> api::create_comment(const tickets::ticket& t, std::string_view body) {
  auto path = issue_path(t);
  if (!path) return path.error();
  auto r = tickets::call(client_, "POST", *path + "/notes", tickets::body_json(body), options(true));
  if (!r) return r.error();
  return tickets::created_id(*r, "GitLab's new note");
}

api_result<void> api::update_comment(const tickets::ticket& t, std::string_view id, std::string_view body) {
  auto path = issue_path(t);
  if (!path) return path.error();
  if (!tickets::numeric_id(id)) return tickets::permanent("the GitLab note id is not a number");
  auto r = tickets::call(client_, "PUT", *path + "/notes/" + std::string(id), tickets::body_json(body), options(true));
  if (!r) return r.error();
  return {};
}

api_result<std::string> api::download(const tickets::attachment& a, std::size_t) {
  return tickets::permanent("GitLab attachments are not downloaded (" + a.filename + ")");
}

}  // namespace integrations::gitlab
