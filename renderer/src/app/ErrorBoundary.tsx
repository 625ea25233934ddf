import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ProblemScreen } from './ProblemScreen';

interface ErrorBoundaryState {
  error: Error | null;
}

/** Catches render errors below it and shows a clear message (with details) instead of a white screen. */
export class ErrorBoundary extends Component<{ children: ReactNode }, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Guanmo render error', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return <ProblemScreen titleKey="error.title" bodyKey="error.body" details={`${error.name}: ${error.message}`} />;
  }
}
