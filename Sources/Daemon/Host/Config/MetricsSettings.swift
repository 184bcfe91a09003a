import Foundation

/// The `[metrics]` section: where the Prometheus text is offered besides `coi.core.v1.Metrics/Get`.
/// Both are off by default; changing them needs a restart.
public struct MetricsSettings: Sendable, Equatable {
    /// The loopback address of the HTTP listener serving `/metrics`; nil when off.
    public var listen: (host: String, port: Int)?
    /// The node-exporter textfile, rewritten atomically every `textfileInterval`; nil when off.
    public var textfile: String?
    /// How often the textfile is rewritten.
    public var textfileInterval: Duration = .seconds(15)

    public init() {}

    public static func == (lhs: MetricsSettings, rhs: MetricsSettings) -> Bool {
        lhs.listen?.host == rhs.listen?.host && lhs.listen?.port == rhs.listen?.port
            && lhs.textfile == rhs.textfile && lhs.textfileInterval == rhs.textfileInterval
    }

    /// One line for `coid config check`: where the metrics go besides Metrics/Get.
    public var summary: String {
        var parts = ["Metrics/Get"]
        if let listen { parts.append("http://\(listen.host.contains(":") ? "[\(listen.host)]" : listen.host):\(listen.port)/metrics") }
        if let textfile { parts.append("textfile \(textfile) every \(textfileInterval.components.seconds)s") }
        return parts.joined(separator: ", ")
    }

    /// The commented default section, for `coid config default`.
    static let defaultText = """
        # Prometheus metrics. Always available as coi.core.v1.Metrics/Get (`coictl metrics`, permission
        # core.metrics: roles admin and core.monitor). Restart to change these.
        [metrics]
        listen = ""                      # "127.0.0.1:9464": serve /metrics over HTTP; loopback only; "" = off
        textfile = ""                    # e.g. "/var/lib/prometheus/node-exporter/coid.prom"; "" = off
        textfile_interval_seconds = 15   # how often the textfile is rewritten (atomically)
        """

    /// Reads the section.
    /// - Parameters:
    ///   - reader: The `[metrics]` table.
    ///   - file: The config file, for errors.
    /// - Throws: `ConfigError` naming the key and reason.
    init(reading reader: inout TableReader, file: String) throws(ConfigError) {
        if let listen = try reader.string("listen"), !listen.isEmpty {
            let parsed: (host: String, port: Int)
            do throws(TLSFileError) {
                parsed = try ListenAddress.parseHostPort(listen)
            } catch {
                throw ConfigError(file: file, key: "metrics.listen",
                                  reason: "must be a loopback \"host:port\" such as \"127.0.0.1:9464\" or \"[::1]:9464\" (port 0 picks a free one), is \"\(listen)\"")
            }
            guard Self.isLoopback(parsed.host) else {
                throw ConfigError(file: file, key: "metrics.listen",
                                  reason: "must be a loopback address such as \"127.0.0.1:9464\" or \"[::1]:9464\", is \"\(listen)\": "
                                      + "/metrics has no authentication (scrape from another host through a proxy, or use metrics.textfile)")
            }
            self.listen = parsed
        }
        if let path = try reader.string("textfile"), !path.isEmpty {
            guard path.hasSuffix(".prom") else {
                throw ConfigError(file: file, key: "metrics.textfile",
                                  reason: "must end in .prom (node-exporter's textfile collector reads only *.prom), is \"\(path)\"")
            }
            textfile = DaemonConfig.absolute(path)
        }
        if let seconds = try reader.integer("textfile_interval_seconds", in: 1...3600) {
            textfileInterval = .seconds(seconds)
        }
        try reader.rejectUnknown()
    }

    /// Whether `host` is a loopback address: 127.0.0.0/8, ::1 or "localhost".
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
