// Command load drives unary Echo calls through containerd's ttrpc client (Debian's package,
// unmodified) against any ttrpc server on a Unix socket, and prints one JSON line:
// calls, seconds, calls_per_s, p50_us, p99_us, errors and total_calls (warm-up included, for CPU per call).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"log"
	"net"
	"os"
	"sort"
	"sync"
	"time"

	"coibench/echo"
	"github.com/containerd/ttrpc"
)

func main() {
	socket := flag.String("socket", "", "Unix socket of the server")
	callers := flag.Int("callers", 1, "concurrent callers")
	conns := flag.Int("conns", 1, "connections the callers share (round robin)")
	seconds := flag.Float64("seconds", 4, "seconds measured")
	warmup := flag.Float64("warmup", 0.5, "seconds of calls before measuring")
	message := flag.String("message", "hello, coid", "echoed text")
	flag.Parse()

	clients := make([]*ttrpc.Client, *conns)
	for i := range clients {
		conn, err := net.Dial("unix", *socket)
		if err != nil {
			log.Fatalf("load: %v", err)
		}
		clients[i] = ttrpc.NewClient(conn)
		defer clients[i].Close()
	}

	start := time.Now()
	measureFrom := start.Add(time.Duration(*warmup * float64(time.Second)))
	end := measureFrom.Add(time.Duration(*seconds * float64(time.Second)))
	latencies := make([][]time.Duration, *callers)
	errors := make([]int, *callers)
	total := make([]int, *callers)
	var wg sync.WaitGroup
	for c := 0; c < *callers; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			client := clients[c%len(clients)]
			request := &echo.EchoRequest{Message: *message}
			for {
				began := time.Now()
				if began.After(end) {
					return
				}
				var reply echo.EchoReply
				err := client.Call(context.Background(), echo.Service, echo.Method, request, &reply)
				took := time.Since(began)
				total[c]++
				if began.Before(measureFrom) {
					continue
				}
				if err != nil || reply.Message != request.Message {
					errors[c]++
					continue
				}
				latencies[c] = append(latencies[c], took)
			}
		}(c)
	}
	wg.Wait()

	var all []time.Duration
	failed, calls := 0, 0
	for c := range latencies {
		all = append(all, latencies[c]...)
		failed += errors[c]
		calls += total[c]
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	percentile := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[int(p*float64(len(all)-1))].Nanoseconds()) / 1000
	}
	json.NewEncoder(os.Stdout).Encode(map[string]interface{}{
		"calls":       len(all),
		"seconds":     *seconds,
		"calls_per_s": float64(len(all)) / *seconds,
		"p50_us":      percentile(0.50),
		"p99_us":      percentile(0.99),
		"errors":      failed,
		"total_calls": calls,
	})
}
