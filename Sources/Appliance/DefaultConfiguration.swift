/// The genmon.conf `genmon install` writes when there is none: the keys a new owner changes, each
/// with a comment; every other key keeps the original's default (README.md lists them all).
public enum DefaultConfiguration {
    public static let genmonConf = """
        # genmon.conf: written by `genmon install` because there was none. The original genmon's files
        # work unchanged: copy yours over this one (and mymail.conf, genloader.conf, … beside it).
        # Check a change with `genmon doctor`, then `sudo systemctl restart genmon`.
        [GenMon]
        # The name in reports, e-mail subjects and the web page title.
        sitename = Home

        # The controller: a serial device (the Pi's UART is /dev/serial0; a USB adapter /dev/ttyUSB0) ...
        port = /dev/serial0
        # ... or a serial-to-TCP bridge: use_serial_tcp = true, serial_tcp_address, serial_tcp_port
        # (and modbus_tcp = true for a Modbus TCP gateway).
        use_serial_tcp = false
        # The controller's Modbus address (hex) and the line's speed.
        address = 9d
        serial_rate = 9600

        # The web app (sign-in required; the first admin is made with a one-time code, see the journal:
        # journalctl -u genmon | grep 'setup code'). 0.0.0.0 makes it reachable from your network;
        # 127.0.0.1 keeps it to this machine (behind a reverse proxy, for instance).
        flask_listen_ip_address = 0.0.0.0
        http_port = 8000

        # The original's command socket (genmon client, add-ons, Nagios).
        server_port = 9082

        # Where genmon keeps its database and logs (systemd's StateDirectory).
        datadirectory = /var/lib/genmon

        # Set the controller's clock from this machine every hour / when daylight-saving time changes.
        synctime = false
        syncdst = false

        """
}
