/** The top bar's Capture button: downloads the run as pcapng for Wireshark, either capture, and the TLS key log. */
import { useEffect, useRef, useState } from 'react';
import type { Trace } from '../sim/trace';
import { CAPTURE_CHOICES, captureBytes, captureFileName, keyLogText } from './capture-export';

function save(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function ExportCapture({ trace, scene }: { trace: Trace; scene: string }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [open]);
  const keys = open ? keyLogText(trace) : null;
  return (
    <div className="export-capture" ref={box}>
      <button data-testid="export-capture" aria-expanded={open} title="Download the run as a capture file for Wireshark" onClick={() => setOpen(!open)}>
        Capture ▾
      </button>
      {open && (
        <div className="export-capture-menu" role="menu">
          {CAPTURE_CHOICES.map((c) => (
            <div key={c.capture} className="export-capture-item">
              <button
                role="menuitem"
                data-testid={`export-capture-${c.capture}`}
                onClick={() => {
                  save(captureFileName(scene, c.capture), captureBytes(trace, c.capture) as Uint8Array<ArrayBuffer>, 'application/vnd.tcpdump.pcap');
                  setOpen(false);
                }}
              >
                {c.label}
              </button>
              <p>{c.explain}</p>
            </div>
          ))}
          {keys !== null && (
            <div className="export-capture-item">
              <button role="menuitem" data-testid="export-keylog" onClick={() => save(`${scene || 'scene'}.keys`, keys, 'text/plain')}>
                TLS key log (.keys)
              </button>
              <p>For Wireshark to decrypt TLS and QUIC: Preferences › Protocols › TLS › (Pre)-Master-Secret log filename.</p>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
