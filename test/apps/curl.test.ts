/** curl's output: body, -I, -v (connection, request and response lines), errors, connection reuse. */
import { describe, expect, it } from 'vitest';
import '../../src/apps';
import { authorityOf, parseUrl, resolveLocation } from '../../src/apps/curl/curl';
import { alertTraceLine, receivedAlertError, SSLCERTS_HELP } from '../../src/apps/curl/errors';
import { TestNet } from '../helpers/net';

const run = (cmd: string, server = 'http-server --site hello', until = '1s') => TestNet.twoHosts(server, cmd).runUntil(until);

describe('curl', () => {
  it('parses URLs', () => {
    expect(parseUrl('http://10.0.0.2/')).toMatchObject({ scheme: 'http', host: '10.0.0.2', port: 80, path: '/' });
    expect(parseUrl('https://www.example.test:8443/a?b')).toMatchObject({ scheme: 'https', host: 'www.example.test', port: 8443, path: '/a?b' });
    expect(parseUrl('10.0.0.2')).toMatchObject({ scheme: 'http', path: '/', href: 'http://10.0.0.2/' });
    expect(authorityOf(parseUrl('http://a:8080/') as never)).toBe('a:8080');
    expect(typeof parseUrl('ftp://x/')).toBe('string');
  });

  it('prints the body', () => {
    const out = run('curl http://10.0.0.2/').logs('h1');
    expect(out[0]).toBe('<!DOCTYPE html>');
    expect(out).toContain('  <h1>Welcome to hello</h1>');
    expect(out.at(-1)).toBe('</html>');
  });

  it('-I prints the status line and headers of a HEAD request', () => {
    const n = run('curl -I http://10.0.0.2/');
    expect(n.logs('h1')).toEqual([
      'HTTP/1.1 200 OK',
      'Server: Packetarium-httpd',
      'Content-Type: text/html',
      'Cache-Control: max-age=60',
      'Content-Length: 112',
      '',
    ]);
    expect(n.logs('h2').at(-1)).toBe('10.0.0.1 - - "HEAD / HTTP/1.1" 200 0');
  });

  it('-v shows the connection, the request and the response like curl 8', () => {
    const out = run('curl -v -o /dev/null http://10.0.0.2/ http://10.0.0.2/index.html').logs('h1');
    expect(out).toEqual([
      '*   Trying 10.0.0.2:80...',
      '* Connected to 10.0.0.2 (10.0.0.2) port 80',
      '> GET / HTTP/1.1',
      '> Host: 10.0.0.2',
      '> User-Agent: curl/8.5.0',
      '> Accept: */*',
      '> ',
      '< HTTP/1.1 200 OK',
      '< Server: Packetarium-httpd',
      '< Content-Type: text/html',
      '< Cache-Control: max-age=60',
      '< Content-Length: 112',
      '< ',
      '{ [112 bytes data]',
      '* Connection #0 to host 10.0.0.2 left intact',
      '* Re-using existing connection with host 10.0.0.2',
      '> GET /index.html HTTP/1.1',
      '> Host: 10.0.0.2',
      '> User-Agent: curl/8.5.0',
      '> Accept: */*',
      '> ',
      '< HTTP/1.1 200 OK',
      '< Server: Packetarium-httpd',
      '< Content-Type: text/html',
      '< Cache-Control: max-age=60',
      '< Content-Length: 112',
      '< ',
      '{ [112 bytes data]',
      '* Connection #0 to host 10.0.0.2 left intact',
    ]);
  });

  it('-v over HTTP/2 (h2c with prior knowledge) and HTTP/1.0 and 0.9', () => {
    const h2 = run('curl -v --http2 -o /dev/null http://10.0.0.2/').logs('h1');
    expect(h2.slice(2, 5)).toEqual(['* using HTTP/2', '* [HTTP/2] [1] OPENED stream for http://10.0.0.2/', '> GET / HTTP/2']);
    expect(h2).toContain('< HTTP/2 200 ');
    expect(h2).toContain('< content-type: text/html');
    const h10 = run('curl -v -o /dev/null --http1.0 http://10.0.0.2/').logs('h1');
    expect(h10).toContain('> GET / HTTP/1.0');
    expect(h10.at(-1)).toBe('* Closing connection #0');
    const h09 = run('curl --http0.9 http://10.0.0.2/').logs('h1');
    expect(h09[0]).toBe('<!DOCTYPE html>');
  });

  it('reports a refused connection and an unresolvable name like curl', () => {
    expect(run('curl http://10.0.0.2:81/').logs('h1')).toEqual(["curl: (7) Failed to connect to 10.0.0.2 port 81 after 4 ms: Couldn't connect to server"]);
    expect(run('curl http://www.example.test/').logs('h1')).toEqual(['curl: (6) Could not resolve host: www.example.test']);
  });

  it('gets 404 for a missing path', () => {
    expect(run('curl -v http://10.0.0.2/nope').logs('h1')).toContain('< HTTP/1.1 404 Not Found');
  });

  it('-v also prints the error as a * line, and why the connect failed', () => {
    const out = run('curl -v http://10.0.0.2:81/').logs('h1');
    expect(out[1]).toMatch(/^\* connect to 10\.0\.0\.2 port 81 from 10\.0\.0\.1 port \d+ failed: Connection refused$/);
    expect(out.slice(-2)).toEqual([
      "* Failed to connect to 10.0.0.2 port 81 after 4 ms: Couldn't connect to server",
      "curl: (7) Failed to connect to 10.0.0.2 port 81 after 4 ms: Couldn't connect to server",
    ]);
  });

  it('--connect-timeout bounds a TCP connect; -m bounds the whole transfer, worded by its phase', () => {
    // 10.0.0.9 does not exist: ARP goes unanswered and no SYN ever leaves.
    expect(run('curl --connect-timeout 0.5 http://10.0.0.9/').logs('h1')).toEqual([
      'curl: (28) Failed to connect to 10.0.0.9 port 80 after 500 ms: Timeout was reached',
    ]);
    expect(run('curl -m 0.8 http://10.0.0.9/').logs('h1')).toEqual(['curl: (28) Connection timed out after 800 milliseconds']);
    expect(run('curl --max-time=0.5 http://10.0.0.9/ http://10.0.0.2/').logs('h1')[0]).toBe('curl: (28) Connection timed out after 500 milliseconds');
  });

  it('-s hides errors, -sS shows them; -f makes a 4xx an error (22) without the body', () => {
    expect(run('curl -s http://10.0.0.2:81/').logs('h1')).toEqual([]);
    expect(run('curl -sS http://10.0.0.2:81/').logs('h1')).toEqual(["curl: (7) Failed to connect to 10.0.0.2 port 81 after 4 ms: Couldn't connect to server"]);
    expect(run('curl -f http://10.0.0.2/nope').logs('h1')).toEqual(['curl: (22) The requested URL returned error: 404']);
    expect(run('curl -sf http://10.0.0.2/nope').logs('h1')).toEqual([]);
  });

  it('accepts the flags people type: -s -o /dev/null -w %{http_code} -L -k --max-time; -i prints the head first', () => {
    expect(run("curl -s -o /dev/null -w '%{http_code}' -L -k --max-time 5 http://10.0.0.2/").logs('h1')).toEqual(['200']);
    expect(run('curl -sSLk4 -o /dev/null -w %{http_code}\\n http://10.0.0.2/nope').logs('h1')).toEqual(['404']);
    const i = run('curl -i http://10.0.0.2/').logs('h1');
    expect(i.slice(0, 2)).toEqual(['HTTP/1.1 200 OK', 'Server: Packetarium-httpd']);
    expect(i).toContain('<!DOCTYPE html>');
  });

  it('says so when a real curl option is not modelled, and calls unknown ones unknown', () => {
    expect(() => run("curl -H 'Accept: text/html' http://10.0.0.2/")).toThrow(/curl: option -H: is not modelled in Packetarium/);
    expect(() => run('curl --data x=1 http://10.0.0.2/')).toThrow(/option --data: is not modelled in Packetarium/);
    expect(() => run('curl --frobnicate http://10.0.0.2/')).toThrow(/curl: option --frobnicate: is unknown/);
  });

  it('-L resolves a Location against the URL it came from', () => {
    const base = parseUrl('http://a.test:8080/x/y') as never;
    expect(resolveLocation(base, '/z')).toMatchObject({ href: 'http://a.test:8080/z' });
    expect(resolveLocation(base, 'w')).toMatchObject({ href: 'http://a.test:8080/x/w' });
    expect(resolveLocation(base, 'https://b.test/')).toMatchObject({ scheme: 'https', host: 'b.test', port: 443 });
  });
});

describe('curl over TLS (HTTPS)', () => {
  const RESOLVE = '--resolve www.example.test:443:10.0.0.2';
  const tlsRun = (cmd: string, server = 'http-server --tls --site hello') => run(cmd, server);

  it('-v shows the TLS version, cipher suite and ALPN, then HTTP/2 over it', () => {
    const out = tlsRun(`curl -v -o /dev/null ${RESOLVE} https://www.example.test/`).logs('h1');
    expect(out.slice(0, 8)).toEqual([
      '* Added www.example.test:443:10.0.0.2 to DNS cache',
      '*   Trying 10.0.0.2:443...',
      '* Connected to www.example.test (10.0.0.2) port 443',
      '* ALPN: curl offers h2,http/1.1',
      '* SSL connection using TLSv1.3 / TLS_AES_128_GCM_SHA256',
      '* ALPN: server accepted h2',
      '*  SSL certificate verify ok.',
      '* using HTTP/2',
    ]);
    expect(out).toContain('< HTTP/2 200 ');
    // The inspector shows the TLS records on port 443.
    const n = tlsRun(`curl -o /dev/null ${RESOLVE} https://www.example.test/`);
    const summaries = n.frames('h1-h2').map((f) => `${f.dissected.protocol}: ${f.dissected.summary}`);
    expect(summaries).toContain('TLSv1.3: Client Hello (SNI=www.example.test)');
    const h11 = tlsRun(`curl -v --http1.1 --tls-max 1.2 -o /dev/null ${RESOLVE} https://www.example.test/`).logs('h1');
    expect(h11).toContain('* SSL connection using TLSv1.2 / TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
    expect(h11).toContain('* ALPN: server accepted http/1.1');
    expect(h11).toContain('< HTTP/1.1 200 OK');
  });

  it('TLS 1.2 needs two round trips before the request, TLS 1.3 one (-w timings)', () => {
    const w = "-w '%{time_connect} %{time_appconnect} %{time_starttransfer}'";
    const times = (extra: string) =>
      tlsRun(`curl -s -o /dev/null ${w} ${extra} ${RESOLVE} https://www.example.test/`.replace(' -s', ''))
        .logs('h1')
        .at(-1)!
        .split(' ')
        .map((x) => Number(x) * 1000);
    // A round trip on this link is 2 ms; the first one also waits 2 ms for ARP.
    const [c12, a12, s12] = times('--tls-max 1.2');
    const [c13, a13, s13] = times('');
    expect(c12).toBeCloseTo(4, 0);
    expect(a12 - c12).toBeCloseTo(4, 0);
    expect(a13 - c13).toBeCloseTo(2, 0);
    expect(s12 - a12).toBeCloseTo(s13 - a13, 1);
  });

  it('fails like curl 8 with OpenSSL on a wrong name, an expired certificate and no common TLS version', () => {
    expect(tlsRun('curl --resolve shop.example.test:443:10.0.0.2 https://shop.example.test/').logs('h1')).toEqual([
      "curl: (60) SSL: no alternative certificate subject name matches target host name 'shop.example.test'",
      ...SSLCERTS_HELP,
    ]);
    expect(tlsRun(`curl ${RESOLVE} https://www.example.test/`, 'http-server --tls --cert-expired').logs('h1')[0]).toBe(
      'curl: (60) SSL certificate problem: certificate has expired',
    );
    const n = tlsRun(`curl --tls-max 1.2 ${RESOLVE} https://www.example.test/`, 'http-server --tls --tls-versions 1.3');
    // OpenSSL's error queue entry for a received alert: reason 1000 + 70.
    expect(n.logs('h1')).toEqual(['curl: (35) OpenSSL/3.0.13: error:0A00042E:SSL routines::tlsv1 alert protocol version']);
    expect(n.logs('h2').at(-1)).toMatch(/TLS handshake with 10\.0\.0\.1 failed: sent alert protocol_version/);
    // No HTTP request was ever sent: the server logged none.
    expect(n.logs('h2').some((l) => l.includes('"GET'))).toBe(false);
  });

  it("-v shows a TLS alert as OpenSSL reports it: the connection's version, level × 256 + description", () => {
    // Offering only TLS 1.2: the server's protocol_version alert arrives on a TLS 1.2 connection.
    const v12 = tlsRun(`curl -v --tls-max 1.2 ${RESOLVE} https://www.example.test/`, 'http-server --tls --tls-versions 1.3').logs('h1');
    expect(v12.slice(-3)).toEqual([
      '* TLSv1.2 (IN), TLS alert, protocol version (582):',
      '* OpenSSL/3.0.13: error:0A00042E:SSL routines::tlsv1 alert protocol version',
      'curl: (35) OpenSSL/3.0.13: error:0A00042E:SSL routines::tlsv1 alert protocol version',
    ]);
    // A TLS 1.2 session refusing the certificate: the alert goes out under TLSv1.2.
    const n12 = tlsRun(`curl -v --tls-max 1.2 --resolve shop.example.test:443:10.0.0.2 https://shop.example.test/`).logs('h1');
    expect(n12).toContain('*  subjectAltName does not match shop.example.test');
    expect(n12).toContain('* TLSv1.2 (OUT), TLS alert, bad certificate (554):');
    const exp = tlsRun(`curl -v ${RESOLVE} https://www.example.test/`, 'http-server --tls --cert-expired').logs('h1');
    expect(exp).toContain('* TLSv1.3 (OUT), TLS alert, certificate expired (557):');
    expect(exp).toContain('* SSL certificate problem: certificate has expired');
  });

  it('alert names and OpenSSL error strings follow OpenSSL 3.0', () => {
    expect(alertTraceLine({ direction: 'received', level: 'fatal', description: 40, version: '1.2' })).toBe(
      '* TLSv1.2 (IN), TLS alert, handshake failure (552):',
    );
    expect(alertTraceLine({ direction: 'sent', level: 'warning', description: 0, version: '1.3' })).toBe('* TLSv1.3 (OUT), TLS alert, close notify (256):');
    expect(alertTraceLine({ direction: 'received', level: 'fatal', description: 48, version: '1.3' })).toBe('* TLSv1.3 (IN), TLS alert, unknown CA (560):');
    expect(receivedAlertError(40).message).toBe('OpenSSL/3.0.13: error:0A000410:SSL routines::sslv3 alert handshake failure');
    expect(receivedAlertError(112).message).toBe('OpenSSL/3.0.13: error:0A000458:SSL routines::tlsv1 unrecognized name');
    expect(receivedAlertError(120).message).toBe('OpenSSL/3.0.13: error:0A000460:SSL routines::tlsv1 alert no application protocol');
  });

  it('-k skips the name check', () => {
    expect(tlsRun('curl -k --resolve shop.example.test:443:10.0.0.2 https://shop.example.test/').logs('h1')[0]).toBe('<!DOCTYPE html>');
  });
});

describe('curl --http3 (QUIC)', () => {
  const RESOLVE = '--resolve www.example.test:443:10.0.0.2';
  const h3Run = (cmd: string) => run(cmd, 'h3-server --site hello');

  it('-v shows the QUIC handshake (TLS 1.3 inside), then the request and response over HTTP/3', () => {
    const out = h3Run(`curl -v --http3 -o /dev/null ${RESOLVE} https://www.example.test/`).logs('h1');
    expect(out).toEqual([
      '* Added www.example.test:443:10.0.0.2 to DNS cache',
      '*   Trying 10.0.0.2:443...',
      '* SSL connection using TLSv1.3 / TLS_AES_128_GCM_SHA256',
      '* ALPN: server accepted h3',
      '*  SSL certificate verify ok.',
      '* Connected to www.example.test (10.0.0.2) port 443',
      '* using HTTP/3',
      '* [HTTP/3] [0] OPENED stream for https://www.example.test/',
      '> GET / HTTP/3',
      '> Host: www.example.test',
      '> User-Agent: curl/8.5.0',
      '> Accept: */*',
      '> ',
      '< HTTP/3 200 ',
      '< content-type: text/html',
      '< content-length: 112',
      '< ',
      '{ [112 bytes data]',
      '* Connection #0 to host www.example.test left intact',
    ]);
  });

  it('prints the body, and gets 404 for a missing path on the same connection (stream 4)', () => {
    const n = h3Run(`curl -v --http3 ${RESOLVE} https://www.example.test/ https://www.example.test/nope`);
    const out = n.logs('h1');
    expect(out).toContain('  <h1>Welcome to hello</h1>');
    expect(out).toContain('* Re-using existing connection with host www.example.test');
    expect(out).toContain('* [HTTP/3] [4] OPENED stream for https://www.example.test/nope');
    expect(out).toContain('< HTTP/3 404 ');
    expect(out).toContain('/nope not found');
    // It all went over UDP port 443 (QUIC), none of it over TCP.
    const frames = n.frames('h1-h2').filter((f) => f.ip);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.every((f) => f.ip!.protocol === 17)).toBe(true);
    expect(n.frames('h1-h2').some((f) => f.dissected.protocol === 'QUIC')).toBe(true);
  });

  it('-I sends HEAD and prints the status line and headers; -w reports http_version 3', () => {
    expect(h3Run(`curl -I --http3 ${RESOLVE} https://www.example.test/`).logs('h1')).toEqual([
      'HTTP/3 200 ',
      'content-type: text/html',
      'content-length: 112',
      '',
    ]);
    const w = h3Run(`curl --http3 -o /dev/null -w '%{http_code} %{http_version} %{time_connect} %{time_appconnect}' ${RESOLVE} https://www.example.test/`).logs(
      'h1',
    );
    const [code, version, connect, appconnect] = w.at(-1)!.split(' ');
    expect([code, version]).toEqual(['200', '3']);
    // QUIC is connected when its handshake (which is the TLS handshake) is done: one moment.
    expect(connect).toBe(appconnect);
  });

  it('fails like curl: nothing listening on the UDP port (ICMP port unreachable), and no answer at all', () => {
    expect(h3Run('curl --http3 -k https://10.0.0.2:8443/').logs('h1')).toEqual([
      "curl: (7) Failed to connect to 10.0.0.2 port 8443 after 4 ms: Couldn't connect to server",
    ]);
    // 10.0.0.9 does not exist: no ARP reply, no QUIC reply; --connect-timeout ends the wait.
    expect(h3Run('curl --http3 --connect-timeout 0.5 https://10.0.0.9/').logs('h1')).toEqual([
      'curl: (28) Failed to connect to 10.0.0.9 port 443 after 500 ms: Timeout was reached',
    ]);
  });

  it('checks the certificate name inside the QUIC handshake; -k skips it', () => {
    // One error per URL: the first one's connect timeout does not also go off during the second.
    const both = 'curl --http3 --connect-timeout 0.1 --resolve shop.example.test:443:10.0.0.2 https://shop.example.test/ https://10.0.0.9/';
    expect(run(both, 'h3-server --site hello').logs('h1')).toEqual([
      "curl: (60) SSL: no alternative certificate subject name matches target host name 'shop.example.test'",
      ...SSLCERTS_HELP,
      'curl: (28) Failed to connect to 10.0.0.9 port 443 after 100 ms: Timeout was reached',
    ]);
    expect(h3Run('curl --http3 -k --resolve shop.example.test:443:10.0.0.2 https://shop.example.test/').logs('h1')[0]).toBe('<!DOCTYPE html>');
  });

  it('rejects --http3 with an http:// URL', () => {
    expect(() => h3Run('curl --http3 http://10.0.0.2/')).toThrow(/--http3 needs https:\/\/ URLs/);
  });
});
