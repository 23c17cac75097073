// deploy/kubernetes/: one pod on a ReadWriteOnce claim (SQLite), recreated rather than rolled,
// every credential from the Secret, probes on the bot's own routes, and a pod that runs as the
// image's unprivileged user with nothing it does not need.

#include "tests/deploy/manifest_files.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace {

using deploy_test::at;
using deploy_test::is_bool;
using deploy_test::named;
using deploy_test::text;

const std::string manifest = "deploy/kubernetes/playbook-bot.yaml";
const std::string secret_example = "deploy/kubernetes/secret.example.yaml";

// The credentials the bot reads (README "Configuration"; the metrics bearer token included).
const std::vector<std::string> credentials = {
    "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "MATTERMOST_COMMAND_TOKENS", "TEAMS_HMAC_SECRET",
    "JIRA_WEBHOOK_SECRET",  "JIRA_API_TOKEN",  "GITHUB_WEBHOOK_SECRET",     "GITHUB_TOKEN",
    "GITLAB_WEBHOOK_TOKEN", "GITLAB_TOKEN",    "PLAYBOOK_METRICS_TOKEN"};

// The manifest's objects and the parts of the Deployment the tests look at.
struct objects {
  YAML::Node claim{YAML::NodeType::Undefined};
  YAML::Node deployment{YAML::NodeType::Undefined};
  YAML::Node service{YAML::NodeType::Undefined};
  YAML::Node pod{YAML::NodeType::Undefined};        // spec.template.spec
  YAML::Node container{YAML::NodeType::Undefined};  // its only container
};

objects load() {
  const auto documents = deploy_test::load_documents(manifest);
  objects o;
  if (auto n = deploy_test::only_of_kind(documents, "PersistentVolumeClaim")) o.claim.reset(*n);
  if (auto n = deploy_test::only_of_kind(documents, "Deployment")) o.deployment.reset(*n);
  if (auto n = deploy_test::only_of_kind(documents, "Service")) o.service.reset(*n);
  o.pod.reset(at(o.deployment, {"spec", "template", "spec"}));
  const YAML::Node containers = at(o.pod, {"containers"});
  if (containers.IsDefined() && containers.IsSequence() && containers.size() == 1) o.container.reset(containers[0]);
  return o;
}

// The container's securityContext setting, or the pod's when the container has none (as
// Kubernetes applies them).
YAML::Node effective(const objects& o, const char* key) {
  const YAML::Node own = at(o.container, {"securityContext", key});
  return own.IsDefined() ? own : at(o.pod, {"securityContext", key});
}

// Elements of a sequence node (none when it is missing).
std::vector<YAML::Node> elements(const YAML::Node& sequence) {
  std::vector<YAML::Node> out;
  if (sequence.IsDefined() && sequence.IsSequence())
    for (const auto& element : sequence) out.push_back(element);
  return out;
}

// Whether a probe or Service port (a number or a port's name) is the container's 8080.
bool is_port_8080(const objects& o, const YAML::Node& port) {
  if (text(port) == "8080") return true;
  const YAML::Node declared = named(at(o.container, {"ports"}), text(port));
  return !text(port).empty() && text(at(declared, {"containerPort"})) == "8080";
}

TEST(kubernetes, manifest_holds_a_claim_a_deployment_and_a_service) {
  const auto o = load();
  ASSERT_TRUE(o.claim.IsDefined()) << "one PersistentVolumeClaim";
  ASSERT_TRUE(o.deployment.IsDefined()) << "one Deployment";
  ASSERT_TRUE(o.service.IsDefined()) << "one Service";
  EXPECT_EQ(text(at(o.claim, {"apiVersion"})), "v1");
  EXPECT_EQ(text(at(o.deployment, {"apiVersion"})), "apps/v1");
  EXPECT_EQ(text(at(o.service, {"apiVersion"})), "v1");
  EXPECT_TRUE(o.container.IsDefined()) << "exactly one container";
}

TEST(kubernetes, deployment_runs_one_replica_and_recreates_it) {
  const auto o = load();
  // SQLite: one process owns the file (the bot holds <db>.lock); a rolling update would start
  // the new pod while the old one still holds the volume and the lock.
  EXPECT_EQ(text(at(o.deployment, {"spec", "replicas"})), "1");
  EXPECT_EQ(text(at(o.deployment, {"spec", "strategy", "type"})), "Recreate");
}

TEST(kubernetes, manifest_says_what_changes_for_more_replicas_and_how_to_back_up) {
  const std::string content = deploy_test::read_text(manifest);
  EXPECT_NE(content.find("# More replicas"), std::string::npos);
  EXPECT_NE(content.find("kubectl exec deploy/playbook-bot -- "), std::string::npos);
  EXPECT_NE(content.find("playbook-bot backup /data/backups/"), std::string::npos);
}

TEST(kubernetes, database_lives_on_a_read_write_once_claim_mounted_at_data) {
  const auto o = load();
  const auto modes = elements(at(o.claim, {"spec", "accessModes"}));
  ASSERT_EQ(modes.size(), 1u);
  EXPECT_EQ(text(modes[0]), "ReadWriteOnce");
  EXPECT_FALSE(text(at(o.claim, {"spec", "resources", "requests", "storage"})).empty());

  const std::string claim_name = text(at(o.claim, {"metadata", "name"}));
  std::string claim_volume;
  for (const auto& volume : elements(at(o.pod, {"volumes"})))
    if (text(at(volume, {"persistentVolumeClaim", "claimName"})) == claim_name) claim_volume = text(at(volume, {"name"}));
  ASSERT_FALSE(claim_volume.empty()) << "no volume from the claim " << claim_name;
  bool mounted = false;
  for (const auto& mount : elements(at(o.container, {"volumeMounts"})))
    mounted |= text(at(mount, {"name"})) == claim_volume && text(at(mount, {"mountPath"})) == "/data" &&
               !is_bool(at(mount, {"readOnly"}), true);
  EXPECT_TRUE(mounted) << "the claim is mounted read-write at /data";

  const std::string db = text(at(named(at(o.container, {"env"}), "PLAYBOOK_DB"), {"value"}));
  EXPECT_TRUE(db.starts_with("/data/")) << "PLAYBOOK_DB=" << db;
}

TEST(kubernetes, container_listens_on_8080_on_every_interface) {
  const auto o = load();
  const std::string image = text(at(o.container, {"image"}));
  EXPECT_NE(image.find("playbook-bot:"), std::string::npos) << image;
  EXPECT_FALSE(image.ends_with(":latest")) << "a pinned tag: Recreate restarts the same build";
  bool port = false;
  for (const auto& p : elements(at(o.container, {"ports"}))) port |= text(at(p, {"containerPort"})) == "8080";
  EXPECT_TRUE(port) << "containerPort 8080";
  EXPECT_EQ(text(at(named(at(o.container, {"env"}), "PLAYBOOK_LISTEN"), {"value"})), "0.0.0.0:8080");
}

TEST(kubernetes, every_credential_comes_from_the_secret_and_none_is_written_out) {
  const auto o = load();
  const YAML::Node env = at(o.container, {"env"});
  for (const auto& name : credentials) {
    SCOPED_TRACE(name);
    const YAML::Node var = named(env, name);
    ASSERT_TRUE(var.IsDefined()) << "no env entry";
    EXPECT_FALSE(at(var, {"value"}).IsDefined()) << "a literal value";
    const YAML::Node ref = at(var, {"valueFrom", "secretKeyRef"});
    ASSERT_TRUE(ref.IsDefined()) << "not from a secretKeyRef";
    EXPECT_EQ(text(at(ref, {"name"})), "playbook-bot-secrets");
    EXPECT_EQ(text(at(ref, {"key"})), name);
    // Every platform may be off: a missing key must not keep the pod from starting.
    EXPECT_TRUE(is_bool(at(ref, {"optional"}), true));
  }
  // Nothing that looks like a credential is set literally, whatever its name.
  for (const auto& var : elements(env)) {
    const std::string name = text(at(var, {"name"}));
    const bool sensitive = name.find("SECRET") != std::string::npos || name.find("TOKEN") != std::string::npos ||
                           name.find("PASSWORD") != std::string::npos;
    EXPECT_FALSE(sensitive && at(var, {"value"}).IsDefined()) << name << " has a literal value";
  }
  EXPECT_FALSE(at(o.container, {"envFrom"}).IsDefined()) << "every variable is listed by name";
}

TEST(kubernetes, secret_example_has_exactly_the_keys_the_deployment_refers_to) {
  const auto secret = deploy_test::only_of_kind(deploy_test::load_documents(secret_example), "Secret");
  ASSERT_TRUE(secret);
  EXPECT_EQ(text(at(*secret, {"metadata", "name"})), "playbook-bot-secrets");
  const YAML::Node data = at(*secret, {"stringData"});
  ASSERT_TRUE(data.IsDefined() && data.IsMap());
  std::set<std::string> keys;
  for (const auto& entry : data) {
    keys.insert(entry.first.Scalar());
    EXPECT_EQ(text(entry.second), "") << entry.first.Scalar() << ": the example holds no secret";
  }
  EXPECT_FALSE(at(*secret, {"data"}).IsDefined());
  EXPECT_EQ(keys, std::set<std::string>(credentials.begin(), credentials.end()));
  EXPECT_NE(deploy_test::read_text(secret_example).find("kubectl create secret generic playbook-bot-secrets"),
            std::string::npos);
}

TEST(kubernetes, probes_use_healthz_for_liveness_and_readyz_for_readiness) {
  const auto o = load();
  EXPECT_EQ(text(at(o.container, {"livenessProbe", "httpGet", "path"})), "/healthz");
  EXPECT_TRUE(is_port_8080(o, at(o.container, {"livenessProbe", "httpGet", "port"})));
  EXPECT_EQ(text(at(o.container, {"readinessProbe", "httpGet", "path"})), "/readyz");
  EXPECT_TRUE(is_port_8080(o, at(o.container, {"readinessProbe", "httpGet", "port"})));
  if (at(o.container, {"startupProbe"}).IsDefined()) {
    EXPECT_EQ(text(at(o.container, {"startupProbe", "httpGet", "path"})), "/healthz");
    EXPECT_TRUE(is_port_8080(o, at(o.container, {"startupProbe", "httpGet", "port"})));
  }
  // Both routes exist in the router.
  const std::string router = deploy_test::read_text("bot/router.cpp");
  EXPECT_NE(router.find("\"/healthz\""), std::string::npos);
  EXPECT_NE(router.find("\"/readyz\""), std::string::npos);
}

TEST(kubernetes, pod_runs_as_the_images_unprivileged_user_with_nothing_to_spare) {
  const auto o = load();
  const auto image_user = deploy_test::dockerfile_user_id();
  ASSERT_TRUE(image_user) << "deploy/Dockerfile has a numeric USER";

  EXPECT_TRUE(is_bool(effective(o, "runAsNonRoot"), true));
  const std::string uid = text(effective(o, "runAsUser"));
  EXPECT_FALSE(uid.empty() || uid == "0") << "runAsUser=" << uid;
  EXPECT_EQ(uid, std::to_string(*image_user)) << "the user that owns /data in the image";
  // The claim's files are made group-writable for fsGroup.
  const std::string fs_group = text(at(o.pod, {"securityContext", "fsGroup"}));
  EXPECT_FALSE(fs_group.empty() || fs_group == "0") << "fsGroup=" << fs_group;
  EXPECT_EQ(text(at(effective(o, "seccompProfile"), {"type"})), "RuntimeDefault");

  const YAML::Node sc = at(o.container, {"securityContext"});
  EXPECT_TRUE(is_bool(at(sc, {"readOnlyRootFilesystem"}), true));
  EXPECT_TRUE(is_bool(at(sc, {"allowPrivilegeEscalation"}), false));
  EXPECT_FALSE(is_bool(at(sc, {"privileged"}), true));
  bool drops_all = false;
  for (const auto& c : elements(at(sc, {"capabilities", "drop"}))) drops_all |= text(c) == "ALL";
  EXPECT_TRUE(drops_all) << "capabilities.drop: [ALL]";
  EXPECT_FALSE(at(sc, {"capabilities", "add"}).IsDefined());

  EXPECT_FALSE(is_bool(at(o.pod, {"hostNetwork"}), true));
  // The bot never calls the Kubernetes API.
  EXPECT_TRUE(is_bool(at(o.pod, {"automountServiceAccountToken"}), false));
}

TEST(kubernetes, sqlite_has_a_writable_tmp_under_the_read_only_root) {
  const auto o = load();
  std::string tmp_volume;
  for (const auto& mount : elements(at(o.container, {"volumeMounts"})))
    if (text(at(mount, {"mountPath"})) == "/tmp") tmp_volume = text(at(mount, {"name"}));
  ASSERT_FALSE(tmp_volume.empty()) << "a volume at /tmp";
  EXPECT_TRUE(at(named(at(o.pod, {"volumes"}), tmp_volume), {"emptyDir"}).IsDefined());
}

TEST(kubernetes, grace_period_outlasts_the_bots_own_shutdown) {
  const auto o = load();
  long shutdown_ms = 10'000;   // PLAYBOOK_SHUTDOWN_TIMEOUT_MS's default
  const std::string set = text(at(named(at(o.container, {"env"}), "PLAYBOOK_SHUTDOWN_TIMEOUT_MS"), {"value"}));
  if (!set.empty()) shutdown_ms = std::stol(set);
  const std::string grace = text(at(o.pod, {"terminationGracePeriodSeconds"}));
  ASSERT_FALSE(grace.empty());
  EXPECT_GT(std::stol(grace) * 1000, shutdown_ms);
}

TEST(kubernetes, container_has_resource_requests_and_limits) {
  const auto o = load();
  for (const char* bound : {"requests", "limits"})
    for (const char* resource : {"cpu", "memory"})
      EXPECT_FALSE(text(at(o.container, {"resources", bound, resource})).empty()) << bound << "." << resource;
}

TEST(kubernetes, service_sends_port_80_to_the_pods_8080) {
  const auto o = load();
  const YAML::Node labels = at(o.deployment, {"spec", "template", "metadata", "labels"});
  const YAML::Node selector = at(o.service, {"spec", "selector"});
  ASSERT_TRUE(selector.IsDefined() && selector.IsMap() && selector.size() > 0);
  for (const auto& entry : selector)
    EXPECT_EQ(text(at(labels, {entry.first.Scalar()})), text(entry.second))
        << "the pod template lacks the Service's label " << entry.first.Scalar();
  const YAML::Node match = at(o.deployment, {"spec", "selector", "matchLabels"});
  ASSERT_TRUE(match.IsDefined() && match.IsMap());
  for (const auto& entry : match)
    EXPECT_EQ(text(at(labels, {entry.first.Scalar()})), text(entry.second)) << "the Deployment's own selector";

  const auto ports = elements(at(o.service, {"spec", "ports"}));
  ASSERT_EQ(ports.size(), 1u);
  const std::string port = text(at(ports[0], {"port"}));
  EXPECT_TRUE(port == "80" || port == "8080") << port;
  const YAML::Node target = at(ports[0], {"targetPort"});
  EXPECT_TRUE(target.IsDefined() ? is_port_8080(o, target) : port == "8080");
}

}  // namespace
