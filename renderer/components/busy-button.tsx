import type { ButtonHTMLAttributes, ReactNode } from 'react';

interface BusyButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** This button's call is pending: it says so (busyText) and shows a spinner. */
  busy?: boolean;
  busyText?: string;
  variant?: 'primary' | 'default' | 'quiet';
  small?: boolean;
  children: ReactNode;
}

/** A button that stays put while its call runs; callers also disable it while any call runs. */
export function BusyButton({
  busy = false,
  busyText,
  variant = 'default',
  small,
  children,
  disabled,
  type = 'button',
  ...rest
}: BusyButtonProps) {
  const classes = [
    'btn',
    variant === 'primary' ? 'btn-primary' : variant === 'quiet' ? 'btn-quiet' : '',
    small ? 'btn-small' : '',
  ];
  return (
    <button
      {...rest}
      type={type}
      className={classes.filter(Boolean).join(' ')}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy && <span className="spinner" aria-hidden="true" />}
      {busy && busyText ? busyText : children}
    </button>
  );
}
