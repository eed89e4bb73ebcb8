// compose-config loads compose files the way Docker Compose v2+ does (compose-spec/compose-go:
// schema validation, ${VAR:-default} interpolation, YAML anchors and merges, extends) and prints
// the resolved project as JSON, like `docker compose config --format json`, without needing
// the Docker CLI plugin. Used by tests/deploy; built by deploy/check-tools.sh.
//
//	compose-config [--env-file FILE]... docker-compose.yml [more.yml...]
//
// Without --env-file it reads .env of the working directory if there is one, like Compose.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	var envFiles, files []string
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		if args[i] == "--env-file" && i+1 < len(args) {
			envFiles = append(envFiles, args[i+1])
			i++
		} else {
			files = append(files, args[i])
		}
	}
	if len(files) == 0 {
		fmt.Fprintln(os.Stderr, "usage: compose-config [--env-file FILE]... <compose file>...")
		os.Exit(2)
	}
	options, err := cli.NewProjectOptions(files, cli.WithOsEnv, cli.WithEnvFiles(envFiles...), cli.WithDotEnv, cli.WithInterpolation(true))
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fail(err)
	}
	if _, err := os.Stdout.Write(append(out, '\n')); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "compose-config:", err)
	os.Exit(1)
}
