import { Component, type ReactNode } from 'react';

/** Catches a refused WebGL context (or any 3D failure) so the embed falls back to the ladder. */
export class ThreeBoundary extends Component<{ onFail(message: string): void; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override componentDidCatch(error: unknown): void {
    this.props.onFail(error instanceof Error ? error.message : String(error));
  }
  override render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}

/** Whether this page can try WebGL at all (`?webgl=off` says no, for tests and for hosts). */
export function webglAvailable(): boolean {
  return typeof WebGLRenderingContext !== 'undefined' && !/[?&]webgl=off\b/.test(window.location.search);
}
