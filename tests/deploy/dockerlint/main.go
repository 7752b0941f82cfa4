// Command dockerlint runs BuildKit's Dockerfile checks (what `docker build --check` reports: syntax,
// stage and argument errors, and the lint rules such as JSONArgsRecommended or UndefinedVar) without
// a Docker engine: base image metadata is answered with an empty config instead of being pulled.
//
// Usage: dockerlint <Dockerfile> [BUILD_ARG=value ...]. Prints BuildKit's lint results as JSON
// ({"warnings": [...], "buildError": {...}}) and exits 1 when there is any warning or error.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerui"
	digest "github.com/opencontainers/go-digest"
)

// offline answers image metadata look-ups with an empty linux/amd64 config, so nothing is pulled.
type offline struct{}

func (offline) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	return ref, "", []byte(`{"architecture":"amd64","os":"linux","config":{}}`), nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dockerlint <Dockerfile> [BUILD_ARG=value ...]")
		os.Exit(2)
	}
	dt, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "dockerlint:", err)
		os.Exit(2)
	}
	buildArgs := map[string]string{}
	for _, arg := range os.Args[2:] {
		if name, value, ok := strings.Cut(arg, "="); ok {
			buildArgs[name] = value
		}
	}
	sourceMap := llb.NewSourceMap(nil, os.Args[1], "Dockerfile", dt)
	sourceMap.Definition = &llb.Definition{}
	results, err := dockerfile2llb.DockerfileLint(context.Background(), dt, dockerfile2llb.ConvertOpt{
		Config:       dockerui.Config{BuildArgs: buildArgs},
		MetaResolver: offline{},
		SourceMap:    sourceMap,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "dockerlint:", err)
		os.Exit(2)
	}
	results.Sources = nil // the Dockerfile itself, echoed back
	out, _ := json.MarshalIndent(results, "", "  ")
	fmt.Println(string(out))
	if len(results.Warnings) > 0 || results.Error != nil {
		os.Exit(1)
	}
}
