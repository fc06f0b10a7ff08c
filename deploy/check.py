#!/usr/bin/env python3
"""Offline checks of the deployment: render every overlay with `kubectl kustomize`, validate it
against the Kubernetes OpenAPI schema of a named version (kubernetes-validate), lint it (yamllint),
and check what the schema cannot: probes and ports match what the binaries listen on, every
container runs non-root with a read-only root filesystem, every StatefulSet has its volume, the
settings passed are exactly ones the binaries read, docker-compose passes the same settings, and
the NetworkPolicies admit the calls the services make and nothing else; in the distributed
overlay, ingest and timeline are stateless Deployments (two or more, autoscaled, with disruption
budgets) that read their database URL from a Secret.

usage: python3 deploy/check.py        (needs the binaries: cargo build --workspace; SITREP_BIN_DIR)
"""
import os
import re
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.environ.get("SITREP_BIN_DIR", os.path.join(ROOT, "target", "debug"))
K8S_VERSION = "1.32.0"
SERVICES = ["gateway", "ingest", "gazetteer", "timeline"]

passed, failed = 0, 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL", what)


def binary_settings(service):
    """The env variables a binary reads and the default of each, from its --help."""
    out = subprocess.run([os.path.join(BIN, "sitrep-" + service), "--help"], capture_output=True, text=True, check=True).stdout
    envs = {}
    for block in re.split(r"\n\s*\n|\n(?=\s+-)", out):
        m = re.search(r"\[env: ([A-Z0-9_]+)[=\]]", block)
        if m:
            d = re.search(r"\[default: ([^\]]+)\]", block)
            envs[m.group(1)] = d.group(1) if d else None
    return envs


def render(overlay):
    out = subprocess.run(["kubectl", "kustomize", os.path.join(HERE, "k8s", "overlays", overlay)], capture_output=True, text=True)
    check(out.returncode == 0, f"kubectl kustomize {overlay}: {out.stderr.strip()}")
    return out.stdout


def main():
    settings = {s: binary_settings(s) for s in SERVICES}
    for s, envs in settings.items():
        check(f"SITREP_{s.upper()}_LISTEN" in envs, f"sitrep-{s} reads SITREP_{s.upper()}_LISTEN")
    lint = subprocess.run(["yamllint", "-c", os.path.join(HERE, "yamllint.yaml"), HERE], capture_output=True, text=True)
    check(lint.returncode == 0, "yamllint deploy/: " + lint.stdout)

    for overlay in ["dev", "prod", "distributed"]:
        text = render(overlay)
        path = f"/tmp/sitrep-{overlay}-rendered.yaml"
        open(path, "w").write(text)
        v = subprocess.run(["kubernetes-validate", "--strict", "--quiet", "-k", K8S_VERSION, path], capture_output=True, text=True)
        check(v.returncode == 0, f"kubernetes-validate {overlay} against {K8S_VERSION}: {v.stdout}{v.stderr}")
        lint = subprocess.run(["yamllint", "-c", os.path.join(HERE, "yamllint.yaml"), path], capture_output=True, text=True)
        check(lint.returncode == 0, f"yamllint rendered {overlay}: {lint.stdout}")
        docs = [d for d in yaml.safe_load_all(text) if d]
        by = lambda kind: {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}
        config = next(d for d in docs if d["kind"] == "ConfigMap")["data"]
        port_of = lambda key: int(config.get(key, ":0").rsplit(":", 1)[1])
        services, workloads = by("Service"), {**by("StatefulSet"), **by("Deployment")}

        # settings: every name passed is one the binaries read
        for key in config:
            owner = key.split("_")[1].lower()
            if owner in SERVICES:
                check(key in settings[owner], f"{overlay}: {key} is read by sitrep-{owner}")
            else:
                check(all(key in settings[s] for s in SERVICES), f"{overlay}: {key} is read by every binary")

        for name in SERVICES:
            w = workloads.get(name)
            check(w is not None, f"{overlay}: a workload for {name}")
            if w is None:
                continue
            pod = w["spec"]["template"]["spec"]
            c = pod["containers"][0]
            check(c.get("command") == [f"sitrep-{name}"], f"{overlay}: {name} runs sitrep-{name}")
            check(any(e.get("configMapRef", {}).get("name") == "sitrep-config" for e in c.get("envFrom", [])), f"{overlay}: {name} reads sitrep-config")
            ports = {p["name"]: p["containerPort"] for p in c["ports"]}
            default_port = int(settings[name][f"SITREP_{name.upper()}_LISTEN"].rsplit(":", 1)[1])
            listen_port = port_of(f"SITREP_{name.upper()}_LISTEN")
            check(ports.get("grpc") == default_port == listen_port, f"{overlay}: {name} grpc port {ports.get('grpc')} = default {default_port} = configured {listen_port}")
            for probe in ["readinessProbe", "livenessProbe"]:
                check(c.get(probe, {}).get("grpc", {}).get("port") == default_port, f"{overlay}: {name} {probe} is a grpc probe on {default_port}")
            metrics_port = port_of(f"SITREP_{name.upper()}_METRICS_LISTEN")
            ann = w["spec"]["template"]["metadata"].get("annotations", {})
            check(ann.get("prometheus.io/scrape") == "true" and int(ann.get("prometheus.io/port", 0)) == metrics_port == ports.get("metrics"), f"{overlay}: {name} scrape annotation names the metrics port")
            sc, csc = pod.get("securityContext", {}), c.get("securityContext", {})
            check(sc.get("runAsNonRoot") is True and sc.get("runAsUser", 0) != 0, f"{overlay}: {name} runs as non-root")
            check(csc.get("readOnlyRootFilesystem") is True and csc.get("allowPrivilegeEscalation") is False, f"{overlay}: {name} read-only root, no privilege escalation")
            check(csc.get("capabilities", {}).get("drop") == ["ALL"], f"{overlay}: {name} drops ALL capabilities")
            check(sc.get("seccompProfile", {}).get("type") == "RuntimeDefault", f"{overlay}: {name} seccomp RuntimeDefault")
            check("memory" in c.get("resources", {}).get("limits", {}) and "cpu" in c.get("resources", {}).get("requests", {}), f"{overlay}: {name} has resources")
            for e in c.get("env", []):
                check(e["name"] in settings[name], f"{overlay}: {name}'s env {e['name']} is read by sitrep-{name}")
            if overlay == "distributed" and name in ("ingest", "timeline"):
                store = next((e for e in c.get("env", []) if e["name"] == f"SITREP_{name.upper()}_STORE"), {})
                ref = store.get("valueFrom", {}).get("secretKeyRef", {})
                check(ref.get("name") == "sitrep-database" and ref.get("key") == "url", f"{overlay}: {name} reads its database URL from the Secret sitrep-database")
                check(w["kind"] == "Deployment" and w["spec"]["replicas"] >= 2, f"{overlay}: {name} is a Deployment of two replicas or more")
                check(not pod.get("volumes") and not c.get("volumeMounts"), f"{overlay}: {name} holds no state (no volume)")
                check(by("HorizontalPodAutoscaler").get(name, {}).get("spec", {}).get("minReplicas", 0) >= 2, f"{overlay}: {name}'s autoscaler keeps two or more")
                check(name in by("PodDisruptionBudget"), f"{overlay}: {name} has a PodDisruptionBudget")
                check(services.get(name, {}).get("spec", {}).get("clusterIP") != "None", f"{overlay}: {name}'s Service balances over its replicas")
            if w["kind"] == "StatefulSet":
                check(w["spec"]["replicas"] == 1, f"{overlay}: {name} has one replica (one process per sled database)")
                claims = [t["metadata"]["name"] for t in w["spec"].get("volumeClaimTemplates", [])]
                mounts = {m["name"]: m["mountPath"] for m in c.get("volumeMounts", [])}
                check(claims and all(cl in mounts for cl in claims), f"{overlay}: {name} mounts its PVC")
                data_dir = config.get(f"SITREP_{name.upper()}_DATA_DIR", "")
                check(data_dir and any(data_dir.startswith(mp) for mp in mounts.values()), f"{overlay}: {name} data dir {data_dir} is on its volume")
                check(services.get(name, {}).get("spec", {}).get("clusterIP") == "None", f"{overlay}: {name} has a headless Service")

        # calls the services make, from the URLs they are given
        calls = set()
        for key, value in config.items():
            m = re.match(r"SITREP_([A-Z]+)_([A-Z]+)_URL$", key)
            if m:
                target, port = re.match(r"http://([a-z-]+):(\d+)$", value).groups()
                caller = m.group(1).lower()
                check(target == m.group(2).lower(), f"{overlay}: {key} names the {m.group(2).lower()} Service")
                svc_ports = [p["port"] for p in services.get(target, {}).get("spec", {}).get("ports", [])]
                check(int(port) in svc_ports, f"{overlay}: {key} port {port} is a port of Service {target}")
                calls.add((caller, target, int(port)))
        # what the NetworkPolicies admit between pods (and from outside)
        admitted, external = set(), set()
        policies = by("NetworkPolicy")
        check(any(p["spec"]["podSelector"] == {} and "ingress" not in p["spec"] for p in policies.values()), f"{overlay}: a default deny of ingress")
        for p in policies.values():
            target = p["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name")
            for rule in p["spec"].get("ingress", []):
                ports = [x["port"] for x in rule.get("ports", [])]
                sources = rule.get("from")
                for port in ports:
                    if port == 9090:
                        continue
                    if sources is None:
                        external.add((target, port))
                    for src in sources or []:
                        if "podSelector" in src:
                            admitted.add((src["podSelector"]["matchLabels"]["app.kubernetes.io/name"], target, port))
        check(external == {("gateway", 50051)}, f"{overlay}: only the gateway accepts outside traffic: {sorted(external)}")
        check(admitted == calls, f"{overlay}: policies admit exactly the calls made: admitted {sorted(admitted)} calls {sorted(calls)}")
        if overlay in ("prod", "distributed"):
            check(workloads["gateway"]["spec"]["replicas"] == 2, f"{overlay}: two gateways")
            check(by("HorizontalPodAutoscaler")["gateway"]["spec"]["minReplicas"] == 2, f"{overlay}: the autoscaler keeps two")
        check("gateway" in by("PodDisruptionBudget"), f"{overlay}: gateway has a PodDisruptionBudget")

    # docker-compose passes the same settings
    env_lines = [l for l in open(os.path.join(HERE, "sitrep.env")) if l.strip() and not l.startswith("#")]
    env = dict(l.strip().split("=", 1) for l in env_lines)
    base = yaml.safe_load(open(os.path.join(HERE, "k8s", "base", "configmap.yaml")))["data"]
    check(env == base, "deploy/sitrep.env equals the ConfigMap")
    compose = yaml.safe_load(open(os.path.join(HERE, "docker-compose.yml")))
    for name in SERVICES:
        svc = compose["services"].get(name, {})
        check(svc.get("command") == [f"sitrep-{name}"] and svc.get("user") == "10001:10001", f"compose: {name} runs sitrep-{name} as 10001")
    print(f"deploy: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
