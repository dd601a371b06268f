package cli_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/julepkit/julep/internal/cli"
)

func Example() {
	var level string
	started := false
	root := &cobra.Command{Use: "tool", SilenceErrors: true, SilenceUsage: true}
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		started = true
		l, err := cli.LogLevel(cmd, level, os.Getenv)
		if err != nil {
			return err
		}
		cli.NewLogger(os.Stderr, l, nil).Debug("starting", "command", cmd.Name())
		return nil
	}
	cli.AddLogLevelFlag(root, &level)
	root.AddCommand(&cobra.Command{Use: "hello", RunE: func(cmd *cobra.Command, _ []string) error {
		fmt.Fprintln(cmd.OutOrStdout(), "hello")
		return nil
	}})

	for _, args := range [][]string{{"hello"}, {"--log-level", "loud", "hello"}, {"hello", "--nope"}} {
		started = false
		err := cli.Execute(context.Background(), root, args, strings.NewReader(""), os.Stdout, os.Stdout, func() bool { return started })
		if cli.IsUsage(err) {
			fmt.Printf("tool: %v (exit %d)\n", err, cli.ExitUsage)
		}
	}
	// Output:
	// hello
	// tool: --log-level "loud" is not a log level: use debug, info, warn or error (see: tool --help) (exit 2)
	// tool: unknown flag: --nope (see: tool hello --help) (exit 2)
}
