import COIProto
import COIWire
import Foundation
import Testing

/// coid writes its log to stderr (journald reads it under systemd). Whatever becomes of that
/// stream, the daemon goes on serving: found while looking for SIGILL traps (issue 10), a log line
/// written to a pipe whose reader had gone trapped the daemon (Foundation's `FileHandle.write`).
@Suite(.serialized) struct LogOutputTests {

    @Test func aLogPipeWhoseReaderHasGoneDoesNotStopTheDaemon() async throws {
        let directory = try DaemonProcess.makeDirectory()
        let socket = directory.appendingPathComponent("coid.sock").path
        let fifo = directory.appendingPathComponent("log.fifo").path
        try #require(mkfifo(fifo, 0o600) == 0)
        // The reader first, so that coid's open of the pipe for writing does not wait.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        try #require(reader >= 0)
        let process = try ChildProcess(DaemonProcess.coid, ["--state-dir", directory.appendingPathComponent("state").path, "--socket", socket],
                                       environment: childEnvironment(), stdout: fifo, stderr: fifo)
        var served = false
        for _ in 0..<1500 where !served && process.isRunning {
            if let connection = try? await ClientConnection.connect(unixSocket: socket) {
                served = (try? await connection.call(Coi_Core_V1_Diagnostics.Method.echo, .with { $0.message = "før" }))?.message == "før"
                await connection.close()
            }
            if !served { try await Task.sleep(for: .milliseconds(20)) }
        }
        try #require(served, "coid did not start")

        // The log's reader goes away (journald stopped, `coid | head` ended): every line from now
        // on fails with EPIPE.
        close(reader)
        // Lines: a reload, and a connection closed for a bad frame.
        process.signal(SIGHUP)
        let bad = try RawConnection(path: socket)
        bad.write([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 1, 0])
        // The daemon closes it (and has logged why) before the next call is made.
        _ = bad.readFrame()

        // (Before the fix the daemon trapped here; with the Swift backtracer on, it then hung in
        // the crash handler instead of exiting: hence the timeouts.)
        let connection = try await ClientConnection.connect(unixSocket: socket)
        let reply = try? await connection.call(Coi_Core_V1_Diagnostics.Method.echo, .with { $0.message = "æøå" }, timeout: .seconds(10))
        #expect(reply?.message == "æøå")
        await connection.close()
        #expect(process.isRunning)
        // Shutdown logs too, and ends cleanly.
        process.signal(SIGTERM)
        for _ in 0..<300 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning, "coid did not stop within 30 s of SIGTERM")
        if process.isRunning { process.signal(SIGKILL) }
        #expect(await process.wait() == 0)
    }
}
