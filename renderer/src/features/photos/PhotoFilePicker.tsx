import { useId, type ReactNode } from 'react';

/** Accepts images, and HEIC explicitly so iPhone photos can be picked (and told apart clearly). */
export const photoAccept = 'image/*,.heic,.heif,.jpg,.jpeg,.png,.webp';

/** A button that opens the file picker for several photos at once. */
export function PhotoFilePicker({
  onFiles,
  children,
  isDisabled = false,
  testId,
  className = 'button button--primary',
}: {
  onFiles: (files: File[]) => void;
  children: ReactNode;
  isDisabled?: boolean;
  testId?: string;
  className?: string;
}) {
  const id = useId();
  return (
    <>
      <input
        id={id}
        type="file"
        multiple
        accept={photoAccept}
        className="visually-hidden"
        disabled={isDisabled}
        data-testid={testId}
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          // clear, so picking the same files again fires change again
          event.currentTarget.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
      <label htmlFor={id} className={`${className}${isDisabled ? ' is-disabled' : ''}`} aria-disabled={isDisabled || undefined}>
        {children}
      </label>
    </>
  );
}
