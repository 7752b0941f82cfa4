// Command crdcheck validates what the Kubernetes JSON schemas do not cover in the Helm chart's
// output: Prometheus Operator objects are decoded strictly (unknown, duplicate or mistyped fields
// fail, as with `kubectl apply --validate=strict`) into the operator's own Go API types, and every
// PromQL expression (PrometheusRule rules, Grafana dashboard targets in ConfigMaps) is parsed with
// the Prometheus parser.
//
// Input: a JSON array of Kubernetes objects on stdin. Output on stdout: a JSON report
// {"checked": n, "problems": [...], "metrics": [...]} where metrics lists every metric name the
// expressions select. Exit 1 if there is any problem.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql/parser"
	kjson "sigs.k8s.io/json"
)

type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
}

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	var docs []json.RawMessage
	if err := json.Unmarshal(input, &docs); err != nil {
		fail(fmt.Errorf("stdin must be a JSON array of objects: %w", err))
	}
	problems := []string{}
	for _, raw := range docs {
		problems = append(problems, check(raw)...)
	}
	names := make([]string, 0, len(metrics))
	for name := range metrics {
		names = append(names, name)
	}
	sort.Strings(names)
	out, _ := json.MarshalIndent(map[string]any{"checked": len(docs), "problems": problems, "metrics": names}, "", "  ")
	fmt.Println(string(out))
	if len(problems) > 0 {
		os.Exit(1)
	}
}

// metrics collects the metric names selected by every parsed expression.
var metrics = map[string]bool{}

var promql = parser.NewParser(parser.Options{})

// parseExpr parses one PromQL expression and records the metric names it selects.
func parseExpr(expr string) error {
	ast, err := promql.ParseExpr(expr)
	if err != nil {
		return err
	}
	parser.Inspect(ast, func(node parser.Node, _ []parser.Node) error {
		if vs, ok := node.(*parser.VectorSelector); ok {
			name := vs.Name
			if name == "" {
				for _, m := range vs.LabelMatchers {
					if m.Name == model.MetricNameLabel {
						name = m.Value
					}
				}
			}
			if name != "" {
				metrics[name] = true
			}
		}
		return nil
	})
	return nil
}

func check(raw json.RawMessage) []string {
	var h header
	if err := json.Unmarshal(raw, &h); err != nil {
		return []string{err.Error()}
	}
	id := fmt.Sprintf("%s %s/%s", h.APIVersion, h.Kind, h.Metadata.Name)
	switch h.APIVersion + " " + h.Kind {
	case "monitoring.coreos.com/v1 ServiceMonitor":
		var sm monitoringv1.ServiceMonitor
		if problems := strict(id, raw, &sm); problems != nil {
			return problems
		}
		return checkServiceMonitor(id, &sm)
	case "monitoring.coreos.com/v1 PrometheusRule":
		var pr monitoringv1.PrometheusRule
		if problems := strict(id, raw, &pr); problems != nil {
			return problems
		}
		return checkRules(id, &pr)
	case "v1 ConfigMap":
		var cm struct {
			Data map[string]string `json:"data"`
		}
		if err := json.Unmarshal(raw, &cm); err != nil {
			return []string{fmt.Sprintf("%s: %v", id, err)}
		}
		return checkDashboards(id, cm.Data)
	default:
		return []string{fmt.Sprintf("%s: crdcheck has no schema for this kind", id)}
	}
}

// strict decodes like the API server's strict field validation: case-sensitive, no unknown or
// duplicate fields.
func strict(id string, raw json.RawMessage, into any) []string {
	strictErrs, err := kjson.UnmarshalStrict(raw, into)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", id, err)}
	}
	var problems []string
	for _, e := range strictErrs {
		problems = append(problems, fmt.Sprintf("%s: %v", id, e))
	}
	return problems
}

func checkServiceMonitor(id string, sm *monitoringv1.ServiceMonitor) []string {
	var problems []string
	if len(sm.Spec.Endpoints) == 0 {
		problems = append(problems, id+": spec.endpoints is empty")
	}
	for i, ep := range sm.Spec.Endpoints {
		if ep.Port == "" && ep.TargetPort == nil {
			problems = append(problems, fmt.Sprintf("%s: spec.endpoints[%d] names no port", id, i))
		}
		for _, d := range []monitoringv1.Duration{ep.Interval, ep.ScrapeTimeout} {
			if d != "" {
				if _, err := model.ParseDuration(string(d)); err != nil {
					problems = append(problems, fmt.Sprintf("%s: spec.endpoints[%d]: %v", id, i, err))
				}
			}
		}
	}
	if len(sm.Spec.Selector.MatchLabels) == 0 && len(sm.Spec.Selector.MatchExpressions) == 0 {
		problems = append(problems, id+": spec.selector selects every Service")
	}
	return problems
}

func checkRules(id string, pr *monitoringv1.PrometheusRule) []string {
	var problems []string
	if len(pr.Spec.Groups) == 0 {
		problems = append(problems, id+": spec.groups is empty")
	}
	for _, g := range pr.Spec.Groups {
		for _, r := range g.Rules {
			name := r.Alert + r.Record
			where := fmt.Sprintf("%s: group %q rule %q", id, g.Name, name)
			if (r.Alert == "") == (r.Record == "") {
				problems = append(problems, where+": exactly one of alert and record must be set")
			}
			expr := strings.TrimSpace(r.Expr.String())
			if expr == "" {
				problems = append(problems, where+": expr is empty")
			} else if err := parseExpr(expr); err != nil {
				problems = append(problems, fmt.Sprintf("%s: expr does not parse: %v", where, err))
			}
			if r.For != nil {
				if _, err := model.ParseDuration(string(*r.For)); err != nil {
					problems = append(problems, fmt.Sprintf("%s: for: %v", where, err))
				}
			}
			if r.Alert != "" && r.Annotations["summary"] == "" {
				problems = append(problems, where+": alert has no summary annotation")
			}
		}
	}
	return problems
}

// grafanaVars stands in for the dashboard variables so that target expressions parse as PromQL.
var grafanaVars = strings.NewReplacer("$__rate_interval", "5m", "$__interval", "1m", "$__range", "1h",
	"$namespace", "parley", "$service", "gateway", "$job", "parley", "$pod", "p")

// checkDashboards parses every target expression of every Grafana dashboard JSON in a ConfigMap.
func checkDashboards(id string, data map[string]string) []string {
	var problems []string
	for file, content := range data {
		if !strings.HasSuffix(file, ".json") {
			continue
		}
		var dash struct {
			Title  string `json:"title"`
			UID    string `json:"uid"`
			Panels []struct {
				Title   string `json:"title"`
				Targets []struct {
					Expr string `json:"expr"`
				} `json:"targets"`
			} `json:"panels"`
		}
		if err := json.Unmarshal([]byte(content), &dash); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %s is not valid JSON: %v", id, file, err))
			continue
		}
		if dash.Title == "" || dash.UID == "" || len(dash.Panels) == 0 {
			problems = append(problems, fmt.Sprintf("%s: %s needs a title, a uid and panels", id, file))
		}
		for _, panel := range dash.Panels {
			for _, t := range panel.Targets {
				if t.Expr == "" {
					continue
				}
				if err := parseExpr(grafanaVars.Replace(t.Expr)); err != nil {
					problems = append(problems, fmt.Sprintf("%s: %s panel %q: expr does not parse: %v", id, file, panel.Title, err))
				}
			}
		}
	}
	return problems
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "crdcheck:", err)
	os.Exit(2)
}
