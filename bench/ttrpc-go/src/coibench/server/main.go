// Command server is containerd's ttrpc server (Debian's golang-github-containerd-ttrpc-dev, unmodified)
// answering coi.core.v1.Diagnostics/Echo on a Unix socket: the reference coid's call path is compared with.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"os"

	"coibench/echo"
	"github.com/containerd/ttrpc"
)

func main() {
	socket := flag.String("socket", "", "Unix socket to listen on")
	flag.Parse()
	if *socket == "" {
		log.Fatal("server: --socket is required")
	}
	os.Remove(*socket)
	server, err := ttrpc.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	server.Register(echo.Service, map[string]ttrpc.Method{
		echo.Method: func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			var request echo.EchoRequest
			if err := unmarshal(&request); err != nil {
				return nil, err
			}
			return &echo.EchoReply{Message: request.Message}, nil
		},
	})
	listener, err := net.Listen("unix", *socket)
	if err != nil {
		log.Fatal(err)
	}
	if err := server.Serve(context.Background(), listener); err != nil {
		log.Fatal(err)
	}
}
