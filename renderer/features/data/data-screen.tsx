import { PlaceholderScreen } from '../../components/placeholder-screen';

/** Placeholder until the data browser lands. */
export function DataScreen() {
  return (
    <PlaceholderScreen
      title="Data"
      summary="Browse, filter and edit the rows of any table."
      planned={[
        'Rows of a table, page by page, with restrictions (DataJoint’s & operator) and joins.',
        'Insert and delete rows; deleting shows the cascade to dependent tables first.',
        'Blobs, attachments and external files decoded for viewing.',
      ]}
      meanwhile={[
        <>
          Row counts of every table are on the <a href="#/pipeline">Pipeline</a> screen.
        </>,
        <>
          Fetch rows with DataJoint Python, e.g. <code>(Subject &amp; 'subject_id=1').fetch()</code>.
        </>,
      ]}
    />
  );
}
