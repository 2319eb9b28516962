import './base.css';
import './center.css';
import './check.css';
import './series.css';
