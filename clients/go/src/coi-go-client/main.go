// Command coi-go-client calls a running coid through containerd's ttrpc client as Debian packages it
// (golang-github-containerd-ttrpc-dev 1.1.1, unmodified), with client stubs that Debian's
// protoc-gen-gogo and ttrpc's own protoc-gen-gogottrpc generate from protos/ (see build.sh).
//
//	coi-go-client [--socket PATH] [--token TOKEN] echo MESSAGE
//	coi-go-client ... health [SERVICE]     # SERVING, NOT_SERVING …; exit 2 unless SERVING
//	coi-go-client ... wiki-get TITLE       # the page's latest text
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	core "coiproto/coi/core/v1"
	wiki "coiproto/coi/wiki/v1"
	health "coiproto/grpc/health/v1"

	"github.com/containerd/ttrpc"
)

func main() {
	socket := flag.String("socket", envOr("COI_SOCKET", ".state/coid.sock"), "coid's Unix socket")
	token := flag.String("token", os.Getenv("COI_TOKEN"), "a bearer token (else the caller is known by its Unix user)")
	timeout := flag.Duration("timeout", 30*time.Second, "deadline of the call, also sent to coid")
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: coi-go-client [--socket PATH] [--token TOKEN] echo MESSAGE | health [SERVICE] | wiki-get TITLE")
		os.Exit(64)
	}

	conn, err := net.Dial("unix", *socket)
	if err != nil {
		fmt.Fprintf(os.Stderr, "coi-go-client: cannot connect to %s: %v\n", *socket, err)
		os.Exit(69)
	}
	client := ttrpc.NewClient(conn)
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if *token != "" {
		ctx = ttrpc.WithMetadata(ctx, ttrpc.MD{"authorization": []string{"Bearer " + *token}})
	}

	switch {
	case args[0] == "echo" && len(args) == 2:
		reply, err := core.NewDiagnosticsClient(client).Echo(ctx, &core.EchoRequest{Message: args[1]})
		check(err)
		fmt.Println(reply.Message)
	case args[0] == "health" && len(args) <= 2:
		service := ""
		if len(args) == 2 {
			service = args[1]
		}
		reply, err := health.NewHealthClient(client).Check(ctx, &health.HealthCheckRequest{Service: service})
		check(err)
		fmt.Println(reply.Status.String())
		if reply.Status != health.HealthCheckResponse_SERVING {
			os.Exit(2)
		}
	case args[0] == "wiki-get" && len(args) == 2:
		page, err := wiki.NewPagesClient(client).Get(ctx, &wiki.GetPageRequest{Title: args[1]})
		check(err)
		fmt.Print(page.Text)
		if !strings.HasSuffix(page.Text, "\n") {
			fmt.Println()
		}
	default:
		fmt.Fprintf(os.Stderr, "coi-go-client: bad command line: %s\n", strings.Join(args, " "))
		os.Exit(64)
	}
}

// check ends the program with the call's status, as coictl does: exit 1 when coid said no.
func check(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "coi-go-client: %v\n", err)
		os.Exit(1)
	}
}

func envOr(key, fallback string) string {
	if value := os.Getenv(key); value != "" {
		return value
	}
	return fallback
}
