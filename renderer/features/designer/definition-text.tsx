import { useId } from 'react';
import { DefinitionTextarea } from '../../components/definition-textarea';
import type { Problem } from './use-designer';

/**
 * The definition as text, edited freely; its problems are listed under it by line:column, each
 * with a button that puts the caret on the spot.
 */
export function DefinitionText({
  text,
  onChange,
  problems,
  readOnly,
}: {
  text: string;
  onChange(text: string): void;
  problems: Problem[];
  readOnly?: boolean;
}) {
  const id = useId();
  const defProblems = problems
    .filter((p) => p.field === 'definition')
    .map((p) => ({ ...p, message: p.message.replace(/^Definition error at [^:]*: /, '') }));
  return (
    <div className="field">
      <DefinitionTextarea
        id={id}
        label="Definition"
        text={text}
        onChange={onChange}
        problems={defProblems}
        readOnly={readOnly}
        minRows={8}
        maxRows={24}
        help={
          <>
            DataJoint syntax: <code>name = default : type # comment</code>, <code>---</code> ends the primary key,{' '}
            <code>-&gt; Parent</code> adds a foreign key. The grid follows what you type.
          </>
        }
      />
    </div>
  );
}
