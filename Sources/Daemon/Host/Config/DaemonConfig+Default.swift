public import COIPluginKit

extension DaemonConfig {
    /// The commented default configuration, as `coid config default` prints it.
    /// - Parameter plugins: The registered plugins, whose own sections are appended.
    /// - Returns: TOML text that loads to the defaults.
    public static func defaultText(plugins: [any Plugin]) -> String {
        var text = """
        # coid configuration (TOML). Every key is optional; shown are the defaults.
        # Precedence: defaults < this file < COID_* environment < command-line flags.
        # Keys marked "live" change on SIGHUP (systemctl reload coid); the rest need a restart.

        version = 1                      # config format version

        # Database and runtime state. Default: ./.state (or $STATE_DIRECTORY under systemd).
        # state_dir = "/var/lib/coid"

        log_level = "info"               # live: trace|debug|info|notice|warning|error|critical
        disabled_plugins = []            # plugin ids to skip; plugins requiring them are skipped too
        required_plugins = []            # plugin ids whose failure stops start-up

        [server]
        # Unix socket; ignored when systemd passes listening sockets (socket activation).
        # Default: <state_dir>/coid.sock (or $RUNTIME_DIRECTORY/coid.sock under systemd).
        # socket = "/run/coid/coid.sock"
        socket_mode = "0660"
        socket_group = ""                # group to give the socket, e.g. "coi"; "" keeps coid's own
        max_connections = 1024           # live
        max_connections_per_uid = 256    # live: per local user (Unix peer uid)
        max_anonymous_connections = 256  # live: TCP/TLS connections together (no Unix credentials)
        max_concurrent_streams = 128     # live: per connection
        max_long_lived_streams_per_principal = 64  # live: feeds and watches per caller, all connections
        max_long_lived_streams_anonymous = 32      # live: feeds and watches of all anonymous callers
        max_buffered_bytes = 16777216    # live: per connection and direction (queued messages, requests, unsent replies)
        idle_timeout_seconds = 300       # live: close connections idle this long; 0 = never
        shutdown_grace_seconds = 10      # live: on SIGTERM, let in-flight calls finish this long

        # Optional TCP listener with TLS for integrations on other hosts (restart needed). Connections
        # here carry no Unix credentials, so every call must present a bearer token.
        [server.tls]
        listen = ""                      # "host:port", e.g. "0.0.0.0:7443"; "" = off
        # certificate = "/etc/coid/tls/cert.pem"   # PEM: the server certificate, then any intermediates
        # private_key = "/etc/coid/tls/key.pem"    # PEM, unencrypted; readable by coid only

        [database]
        path = ""                        # default: <state_dir>/coid.db
        synchronous = "full"             # full: commits survive power loss; normal: survive crashes only
        busy_timeout_ms = 5000
        group_commit = true              # false: each write commits alone (one fsync each); for measuring only

        """
        text += "\n" + MetricsSettings.defaultText + "\n"
        text += "\n# Identity is built in: accounts, tokens, roles and the audit log.\n[plugins.\"coi.identity\"]\n"
            + IdentitySettings.defaultText + "\n"
        text += "\n# Any plugin's section may also say `anonymous_read = true`: its read methods then need no\n"
            + "# identity (a public wiki). Writes always need a named account.\n"
        for plugin in plugins where !plugin.defaultConfig.isEmpty {
            text += "\n[plugins.\"\(plugin.id)\"]\n" + plugin.defaultConfig + "\n"
        }
        return text
    }
}
